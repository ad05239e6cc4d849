/// The registry of scale protocols: adding one is a new decoder file and one line here.
public enum ScaleProtocols {
    public static let all: [any ScaleDecoder.Type] = [
        ToledoContinuousDecoder.self,
        Toledo8217Decoder.self,
        MTSICSDecoder.self,
        ADSTDecoder.self,
        CASDC1Decoder.self,
        YaohuaA23PDecoder.self,
    ]

    public static func decoder(named name: String) -> (any ScaleDecoder.Type)? {
        all.first { $0.protocolName == name }
    }

    public static var names: [String] { all.map { $0.protocolName } }
}
