enum Placeholder_StallLedger {}
