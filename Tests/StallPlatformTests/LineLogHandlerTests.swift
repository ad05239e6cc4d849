import Logging
import StallPlatform
import Testing

@Suite struct LineLogHandlerTests {
    @Test func underJournaldALineStartsWithItsSyslogPriority() {
        #expect(LineLogHandler.format(level: .info, message: "ready", metadata: [:], journal: true) == "<6>ready\n")
        #expect(LineLogHandler.format(level: .warning, message: "scale absent", metadata: ["scale": "scale0"], journal: true) == "<4>scale absent scale=scale0\n")
        #expect(LineLogHandler.format(level: .critical, message: "x", metadata: [:], journal: true).hasPrefix("<2>"))
    }

    @Test func anEventIsAlwaysOneLine() {
        let line = LineLogHandler.format(level: .error, message: "two\nlines", metadata: ["error": "a b\nc"], journal: true)
        #expect(line == "<3>two\\nlines error=\"a b\\nc\"\n")
    }

    @Test func withoutJournaldALineStartsWithAUTCTimestampAndLevel() {
        let line = LineLogHandler.format(level: .info, message: "ready", metadata: [:], journal: false)
        #expect(line.hasSuffix(" info ready\n"))
        #expect(line.dropFirst(23).hasPrefix("Z"))
    }
}
