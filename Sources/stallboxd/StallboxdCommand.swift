import ArgumentParser
import StallDaemon
import StallPlatform

/// The Stallbox daemon: scale → signed ledger → announcement → HTTPS upstream.
@main
struct StallboxdCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stallboxd",
        abstract: "The Stallbox daemon: reads scales, announces payments, keeps and delivers the signed ledger.",
        version: Daemon.version)

    @Option(name: .long, help: "The configuration file.")
    var config: String = StallboxConfiguration.defaultPath

    @Option(name: .customLong("check-config"), help: ArgumentHelp("Check this configuration file, print its problem, and exit.", valueName: "file"))
    var checkConfig: String?

    func run() async throws {
        if let checkConfig {
            do {
                _ = try StallboxConfiguration.load(path: checkConfig)
                print("\(checkConfig): OK")
                return
            } catch {
                printError("\(error)")
                throw ExitCode(ConfigurationError.exitCode)
            }
        }
        ProcessSignals.ignoreBrokenPipe()
        let status = await Daemon.run(configurationPath: config, environment: ProcessEnvironment.current)
        if status != 0 { throw ExitCode(status) }
    }
}

func printError(_ text: String) {
    var standardError = StandardErrorStream()
    print(text, to: &standardError)
}
