import ArgumentParser

/// Measurements that are targets of the issues, in a release build:
/// `swift run -c release stallbox-bench decode|hotplug|announce|ledger|drain`.
@main
struct StallboxBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stallbox-bench", abstract: "Measure Stallbox's speed targets (build with -c release).",
        subcommands: [DecodeBench.self, HotplugBench.self, AnnounceBench.self, LedgerBench.self, DrainBench.self])
}

/// Percentile of sorted values (nearest rank).
func percentile(_ sorted: [Double], _ p: Double) -> Double {
    guard !sorted.isEmpty else { return .nan }
    let rank = Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1
    return sorted[min(max(rank, 0), sorted.count - 1)]
}

func milliseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
}
