enum Placeholder_StallUplink {}
