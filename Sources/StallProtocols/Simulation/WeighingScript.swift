import StallCore

/// What a simulated scale shows over time: for each item, an empty pan, the load rising in
/// motion, a stable hold, and the pan emptied again. Pure: it yields the readings; the
/// simulator paces them at the scale's frame rate.
public struct WeighingScript: Sendable {
    public struct Reading: Sendable, Equatable {
        public var weight: Milligrams
        public var motion: Bool

        public init(weight: Milligrams, motion: Bool) {
            self.weight = weight
            self.motion = motion
        }
    }

    public var items: [Milligrams]
    /// Frames per phase at ~7 frames a second.
    public var emptyFrames = 7
    public var risingFrames = 3
    public var stableFrames = 14
    public var fallingFrames = 2

    public init(items: [Milligrams]) {
        self.items = items
    }

    public var readings: [Reading] {
        var out: [Reading] = []
        for item in items {
            out += Array(repeating: Reading(weight: Milligrams(0), motion: false), count: emptyFrames)
            for step in 1...risingFrames {
                out.append(Reading(weight: Milligrams(item.value * Int64(step) / Int64(risingFrames + 1)), motion: true))
            }
            out += Array(repeating: Reading(weight: item, motion: false), count: stableFrames)
            for step in (1...fallingFrames).reversed() {
                out.append(Reading(weight: Milligrams(item.value * Int64(step) / Int64(fallingFrames + 1)), motion: true))
            }
        }
        out += Array(repeating: Reading(weight: Milligrams(0), motion: false), count: emptyFrames)
        return out
    }

    /// A reading as a Toledo continuous frame in kg with three decimals (code 5), checksum on.
    public static func toledoFrame(_ reading: Reading) -> [UInt8] {
        ToledoContinuousDecoder.encode(
            displayDigits: Int64(reading.weight.value.magnitude / 1000), tareDigits: 0, decimalCode: 5,
            negative: reading.weight.value < 0, motion: reading.motion)
    }
}
