/// What a UART receives when bytes are sent with one line setting and read with another,
/// worked out bit by bit: the sender's frames (start bit, data bits LSB first, parity,
/// stop bits) laid end to end on the wire, then sampled by a receiver at its own baud
/// rate in the middle of each of its bit times. Used by the simulated scale so that a
/// wrong setting produces what a real wrong setting produces (framing errors, bytes with
/// the top bit set, 0x00 and 0xFF runs, dropped bytes), not a made-up pattern.
///
/// The receiver behaves like the Linux tty layer as `SerialPort` configures it: with
/// parity on (INPCK and IGNPAR) a byte with a parity or framing error is dropped; with
/// parity off it is delivered as sampled, framing error or not.
public enum SerialLineSimulation {
    public static func deliver(_ bytes: [UInt8], sentWith sender: SerialSettings, readWith receiver: SerialSettings) -> [UInt8] {
        if sender == receiver || bytes.isEmpty { return bytes }
        // Time in units where a sender bit lasts `2 * receiver.baud` and a receiver bit
        // `2 * sender.baud`, so that half a receiver bit is still an integer.
        let senderBit = 2 * receiver.baud
        let receiverBit = 2 * sender.baud
        var wire: [Bool] = []
        wire.reserveCapacity(bytes.count * 12)
        for byte in bytes { wire += frameBits(byte, sender) }
        let end = wire.count * senderBit
        func level(at time: Int) -> Bool {
            let index = time / senderBit
            return index < wire.count ? wire[index] : true  // idle line is mark (1)
        }

        var out: [UInt8] = []
        var time = 0
        let step = max(1, min(senderBit, receiverBit) / 2)
        while time < end {
            // Hunt for the falling edge of a start bit.
            guard !level(at: time) else {
                time += step
                continue
            }
            let middleOfStart = time + receiverBit / 2
            guard !level(at: middleOfStart) else {
                time += step  // a glitch shorter than half a bit: not a start bit
                continue
            }
            var value = 0
            var ones = 0
            var sample = middleOfStart
            for bit in 0..<receiver.dataBits {
                sample += receiverBit
                if level(at: sample) {
                    value |= 1 << bit
                    ones += 1
                }
            }
            var parityOK = true
            if receiver.parity != .none {
                sample += receiverBit
                let parityBit = level(at: sample)
                let totalOnes = ones + (parityBit ? 1 : 0)
                parityOK = receiver.parity == .even ? totalOnes % 2 == 0 : totalOnes % 2 == 1
            }
            sample += receiverBit
            let framingOK = level(at: sample)
            if receiver.parity == .none || (parityOK && framingOK) {
                out.append(UInt8(value))
            }
            // The receiver looks for the next start bit after the stop bit's middle.
            time = sample + receiverBit / 2
        }
        return out
    }

    static func frameBits(_ byte: UInt8, _ settings: SerialSettings) -> [Bool] {
        var bits = [false]
        var ones = 0
        for bit in 0..<settings.dataBits {
            let set = byte & (1 << bit) != 0
            bits.append(set)
            if set { ones += 1 }
        }
        switch settings.parity {
        case .none: break
        case .even: bits.append(ones % 2 == 1)
        case .odd: bits.append(ones % 2 == 0)
        }
        bits += Array(repeating: true, count: settings.stopBits)
        return bits
    }
}
