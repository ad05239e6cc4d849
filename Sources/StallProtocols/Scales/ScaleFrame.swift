import StallCore

/// One decoded scale reading, the output contract of every scale decoder
/// (reference/scale-protocols.md section 2.1). No floating point anywhere.
public struct ScaleFrame: Hashable, Sendable {
    public var protocolName: String
    public var weight: Milligrams
    public var stable: Bool
    public var net: Bool
    public var overload: Bool
    /// Present only where the protocol carries it.
    public var tare: Milligrams?
    public var unitPriceFenPerKg: Fen?
    public var total: Fen?
    public var plu: Int64?

    public init(
        protocolName: String, weight: Milligrams, stable: Bool, net: Bool, overload: Bool,
        tare: Milligrams? = nil, unitPriceFenPerKg: Fen? = nil, total: Fen? = nil, plu: Int64? = nil
    ) {
        self.protocolName = protocolName
        self.weight = weight
        self.stable = stable
        self.net = net
        self.overload = overload
        self.tare = tare
        self.unitPriceFenPerKg = unitPriceFenPerKg
        self.total = total
        self.plu = plu
    }

    /// The frame as `stallctl decode` prints it; optional members are omitted, not null.
    public var json: JSONValue {
        var members: [String: JSONValue] = [
            "protocol": .string(protocolName),
            "weight_mg": .int(weight.value),
            "stable": .bool(stable),
            "net": .bool(net),
            "overload": .bool(overload),
        ]
        if let tare { members["tare_mg"] = .int(tare.value) }
        if let unitPriceFenPerKg { members["unit_price_fen"] = .int(unitPriceFenPerKg.value) }
        if let total { members["total_fen"] = .int(total.value) }
        if let plu { members["plu"] = .int(plu) }
        return .object(members)
    }
}
