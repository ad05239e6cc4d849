/// GB2312 bytes for the TTS tests, so the tests need no iconv (GB2312 encoding itself lives
/// in StallPlatform). Sources, in SPEC.md 6.3 of firmware-protocols/uart-tts:
/// - 支付宝到账十二点五元: the worked example of shared/reference/announcement.md section 3;
/// - 宇音天下: the SYN6288 datasheet's and SYN6658 manual's examples;
/// - 科大讯飞: the XFS5152CE guide's example;
/// - the other characters: the GB 2312-80 code table, as Python's `gb2312` codec and
///   `iconv -t GB2312` both give them; tools/check_reference.py checks every entry.
enum TTSTestPhrases {
    static let gb2312: [Character: [UInt8]] = [
        "支": [0xD6, 0xA7], "付": [0xB8, 0xB6], "宝": [0xB1, 0xA6], "到": [0xB5, 0xBD], "账": [0xD5, 0xCB],
        "微": [0xCE, 0xA2], "信": [0xD0, 0xC5], "收": [0xCA, 0xD5], "款": [0xBF, 0xEE],
        "云": [0xD4, 0xC6], "闪": [0xC9, 0xC1],
        "零": [0xC1, 0xE3], "一": [0xD2, 0xBB], "二": [0xB6, 0xFE], "两": [0xC1, 0xBD], "五": [0xCE, 0xE5],
        "十": [0xCA, 0xAE], "百": [0xB0, 0xD9], "万": [0xCD, 0xF2],
        "点": [0xB5, 0xE3], "元": [0xD4, 0xAA], "角": [0xBD, 0xC7], "分": [0xB7, 0xD6],
        "宇": [0xD3, 0xEE], "音": [0xD2, 0xF4], "天": [0xCC, 0xEC], "下": [0xCF, 0xC2],
        "科": [0xBF, 0xC6], "大": [0xB4, 0xF3], "讯": [0xD1, 0xB6], "飞": [0xB7, 0xC9],
    ]

    /// GB2312 bytes of `text`: table characters, and ASCII (tags such as `[v10]`) as is.
    static func encode(_ text: String) -> [UInt8] {
        text.flatMap { character -> [UInt8] in
            if let bytes = gb2312[character] { return bytes }
            guard let ascii = character.asciiValue else { preconditionFailure("\(character) is not in the test table") }
            return [ascii]
        }
    }

    /// 支付宝到账十二点五元 (20 bytes), reference/announcement.md section 3.
    static let workedExample: [UInt8] = [
        0xD6, 0xA7, 0xB8, 0xB6, 0xB1, 0xA6, 0xB5, 0xBD, 0xD5, 0xCB,
        0xCA, 0xAE, 0xB6, 0xFE, 0xB5, 0xE3, 0xCE, 0xE5, 0xD4, 0xAA,
    ]

    /// Parses "FD 00 17 ..." into bytes.
    static func hex(_ text: String) -> [UInt8] {
        text.split(separator: " ").map { UInt8($0, radix: 16)! }
    }
}
