enum Placeholder_StallDaemon {}
