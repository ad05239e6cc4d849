/// The registry of emulators, by emulator name (see `ScaleEmulator.emulatorName`).
public enum ScaleEmulators {
    public static let all: [any ScaleEmulator.Type] = [
        ToledoContinuousEmulator.self,
        Toledo8217Emulator.self,
        MTSICSEmulator.self,
        ADStreamEmulator.self,
        ADCommandEmulator.self,
        CASDC1Emulator.self,
        YaohuaA23PEmulator.self,
    ]

    public static func emulator(named name: String) -> (any ScaleEmulator.Type)? {
        all.first { $0.emulatorName == name }
    }
}
