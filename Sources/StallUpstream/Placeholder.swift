enum Placeholder_StallUpstream {}
