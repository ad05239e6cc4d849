enum Placeholder_StallTestSupport {}
