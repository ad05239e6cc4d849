enum Placeholder_StallDiagnostics {}
