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

    @Flag(name: .long, help: "Check the configuration file, print every problem, and exit.")
    var checkConfig = false

    func run() async throws {
        if checkConfig {
            do {
                _ = try StallboxConfiguration.load(path: config)
                print("\(config): OK")
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
