enum Placeholder_StallDevices {}
