enum Placeholder_StallAnnouncer {}
