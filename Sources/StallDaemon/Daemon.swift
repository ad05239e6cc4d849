import Logging
import ServiceLifecycle
import StallAnnouncer
import StallCore
import StallDevices
import StallDiagnostics
import StallLedger
import StallPlatform
import StallProtocols
import StallUplink
import Synchronization

/// `stallboxd` itself: reads the configuration, opens the ledger, builds the services and
/// runs them in one ordered `ServiceGroup` until SIGTERM or SIGINT.
///
/// Start-up order: configuration → logging → key → ledger (migrated, synchronous=FULL) →
/// voice pack → services (announcer, scales, uplink, notifications, diagnostic socket,
/// systemd last, which sends READY=1). Shutdown runs in reverse: STOPPING=1 first, each loop
/// finishes the record in hand, then the ledger is checkpointed and closed.
public enum Daemon {
    public static let version = "0.1.0"

    /// Runs the daemon; returns the process exit status.
    public static func run(configurationPath: String, environment: [String: String]) async -> Int32 {
        Heap.limitArenas(2)
        let bootstrapLogger = Logger(label: "stallboxd") { LineLogHandler(label: $0, level: .info, journal: environment["JOURNAL_STREAM"] != nil) }
        let configuration: StallboxConfiguration
        do {
            configuration = try StallboxConfiguration.load(path: configurationPath)
        } catch {
            bootstrapLogger.critical("configuration error: \(error)")
            return ConfigurationError.exitCode
        }
        let journal = environment["JOURNAL_STREAM"] != nil
        let level = configuration.logLevel
        let logger = Logger(label: "stallboxd") { LineLogHandler(label: $0, level: level, journal: journal) }

        let key: DeviceKey
        do {
            let (loaded, created) = try DeviceKey.loadOrCreate(path: configuration.keyPath)
            key = loaded
            logger.info(created ? "device key created" : "device key loaded", metadata: ["device_id": "\(key.deviceID)", "path": "\(configuration.keyPath)"])
        } catch {
            logger.critical("device key refused: \(error)")
            return ConfigurationError.exitCode
        }

        let alarms = Alarms()
        let ledger: Ledger
        do {
            let policy = configuration.ledgerPolicy
            let (opened, recovery) = try Ledger.openRecovering(
                path: configuration.ledgerPath, key: key, nowMs: WallClock.nowMs(),
                groupLimits: Ledger.GroupLimits(maxGroup: policy.groupMax, window: .milliseconds(policy.groupWindowMs)))
            ledger = opened
            if let recovery {
                let message =
                    "the ledger was damaged (\(recovery.reason)); it was moved to \(recovery.damagedPath) and a new chain starts at seq \(recovery.reset.seq ?? 0)"
                    + (recovery.anchor == nil ? " without the acknowledgement anchor: upstream will refuse it until an engineer intervenes" : "")
                alarms.raise("ledger_reset", message, atMs: WallClock.nowMs())
                logger.critical("ledger reset", metadata: ["reason": "\(recovery.reason)", "moved_to": "\(recovery.damagedPath)", "reset_seq": "\(recovery.reset.seq ?? 0)"])
            }
        } catch {
            logger.critical("\(error)")
            return 1
        }
        defer {
            do {
                try ledger.close()
                logger.info("ledger closed")
            } catch {
                logger.error("closing the ledger failed", metadata: ["error": "\(error)"])
            }
        }

        let voicePack: VoicePack
        do {
            voicePack = try VoicePack.load(directory: configuration.speaker.voicePack)
        } catch {
            logger.critical("\(error)")
            return ConfigurationError.exitCode
        }

        do {
            let services = try await makeServices(
                configuration: configuration, ledger: ledger, alarms: alarms, voicePack: voicePack, environment: environment, logger: logger)
            try await ledger.append(kind: .start, body: ["version": .string(version)], timestampMs: WallClock.nowMs())
            let group = ServiceGroup(
                configuration: ServiceGroupConfiguration(
                    services: services.map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) },
                    gracefulShutdownSignals: [.sigterm, .sigint],
                    logger: logger))
            try await group.run()
            return 0
        } catch {
            logger.critical("stallboxd stopped on an error: \(error)")
            return 1
        }
    }

    static func makeServices(
        configuration: StallboxConfiguration, ledger: Ledger, alarms: Alarms, voicePack: VoicePack, environment: [String: String],
        logger: Logger
    ) async throws -> [any Service] {
        let liveness = Liveness()
        let nowMs: @Sendable () -> Int64 = { WallClock.nowMs() }

        var uploader: BatchUploader?
        var poller: NotificationPoller?
        var uplinkStatus: UplinkStatus?
        var uplinkClient: UplinkClient?
        if let uplink = configuration.uplink {
            let status = UplinkStatus()
            let client = try UplinkClient(configuration: uplink)
            uplinkStatus = status
            uplinkClient = client
            uploader = BatchUploader(
                ledger: ledger, client: client, status: status, alarms: alarms, liveness: liveness, logger: logger, nowMs: nowMs)
        }

        var speakers: [any Speaker] = []
        var cardWatcher: SoundCardWatcher?
        if let pcm = configuration.speaker.pcm {
            let alsa = ALSASpeaker(pcm: pcm, sampleRate: voicePack.sampleRate, volumePercent: configuration.speaker.volumePercent)
            speakers.append(alsa)
            if configuration.hotplug.watchUdev, alsa.followsAnyUSBCard || (configuration.speaker.card ?? alsa.cardID) != nil {
                let card = alsa.followsAnyUSBCard ? nil : configuration.speaker.card ?? alsa.cardID
                cardWatcher = SoundCardWatcher(speaker: alsa, cardID: card, liveness: liveness, logger: logger)
            }
        }
        var ttsSpeaker: TTSModuleSpeaker?
        if let module = configuration.speaker.tts {
            let tts = TTSModuleSpeaker(
                path: module.port,
                configuration: TTSModuleMachine.Configuration(
                    chip: module.chip, baud: module.baud, setupText: module.volume.map { Array("[v\($0)]".utf8) } ?? []),
                liveness: liveness, logger: logger)
            ttsSpeaker = tts
            if configuration.speaker.prefer == "tts" { speakers.insert(tts, at: 0) } else { speakers.append(tts) }
        }
        let speaker: (any Speaker)? = speakers.count > 1 ? FallbackSpeaker(speakers) : speakers.first
        if speaker == nil { logger.warning("no speaker configured: payments will be recorded as no_speaker") }
        let deskBox = DeskBox()
        let announcer = Announcer(
            voicePack: voicePack, speaker: speaker,
            reading: AmountReading(style: configuration.speaker.style, liang: configuration.speaker.liang),
            gapMs: configuration.speaker.gapMs, maxAgeMs: Int64(configuration.speaker.maxAgeSeconds) * 1000, nowMs: nowMs,
            liveness: liveness, logger: logger
        ) { outcome in
            await deskBox.desk?.announced(outcome)
        }
        let desk = PaymentDesk(ledger: ledger, announcer: announcer, uploader: uploader, nowMs: nowMs, logger: logger)
        deskBox.set(desk)

        let memory = ScaleMemory(path: configuration.hotplug.memoryPath)
        if let problem = memory.loadProblem { logger.warning("scale memory unreadable", metadata: ["problem": "\(problem)"]) }
        let fleet = try ScaleFleet(
            scales: configuration.scales,
            settings: ScaleFleet.Settings(watchUdev: configuration.hotplug.watchUdev, adoptUSBSerial: configuration.hotplug.adoptUSBSerial),
            memory: memory, liveness: liveness, logger: logger
        ) { scale, frame in
            await desk.weighed(scale, frame)
        }

        if let client = uplinkClient, let status = uplinkStatus, client.configuration.pollNotifications {
            poller = NotificationPoller(
                client: client, deviceID: ledger.identity.deviceID, status: status, liveness: liveness, logger: logger,
                onLinkBack: { [uploader] in uploader?.linkIsBack() },
                loadCursor: { try await ledger.cursor(named: "notifications") }
            ) { notifications, next in
                try await desk.receive(notifications, source: "upstream", cursor: (name: "notifications", value: next))
            }
        }

        let diag = DiagServer(
            socketPath: configuration.diagSocket,
            handler: DiagCommands(
                version: version, startedAt: .now, ledger: ledger, desk: desk, scales: { fleet.statuses },
                speakers: speakers, announcer: announcer, uplinkStatus: uplinkStatus, alarms: alarms),
            logger: logger)
        let policy = configuration.ledgerPolicy
        let housekeeping = Housekeeping(
            ledger: ledger,
            rules: HousekeepingRules(
                retentionDays: policy.retentionDays, budgetBytes: Int64(policy.budgetMiB) << 20, minFreeBytes: Int64(policy.minFreeMiB) << 20,
                utcOffsetMinutes: policy.utcOffsetMinutes, staleAckHours: configuration.staleAckHours),
            alarms: alarms, uplinkConfigured: configuration.uplink != nil, interval: .seconds(policy.housekeepingSeconds), nowMs: nowMs,
            liveness: liveness, logger: logger)
        let systemd = SystemdService(
            notifier: SystemdNotifier(environment: environment),
            watchdogMicroseconds: SystemdNotifier.watchdogMicroseconds(environment: environment), liveness: liveness,
            readyAfter: [diag.listening], logger: logger)

        // Dependency order; shutdown runs in reverse, so the HTTP client closes only after
        // the loops that use it stopped, and the announcer after everything that feeds it.
        var services: [any Service] = []
        // The TTS module's loop before the announcer that speaks through it, so it stops after it.
        if let ttsSpeaker { services.append(ttsSpeaker) }
        if let cardWatcher { services.append(cardWatcher) }
        services.append(announcer)
        services.append(fleet)
        services.append(housekeeping)
        if let client = uplinkClient { services.append(ClientShutdown(client: client)) }
        if let uploader { services.append(uploader) }
        if let poller { services.append(poller) }
        services.append(diag)
        services.append(systemd)
        return services
    }
}

/// Breaks the announcer ↔ desk cycle: the announcer is built first and reports outcomes to
/// the desk, which is built with the announcer.
final class DeskBox: Sendable {
    private let value = Mutex<PaymentDesk?>(nil)
    var desk: PaymentDesk? { value.withLock { $0 } }
    func set(_ desk: PaymentDesk) { value.withLock { $0 = desk } }
}

/// Shuts the HTTP client down once the uplink loops, which come after it in the group and so
/// stop before it, have stopped.
struct ClientShutdown: Service {
    let client: UplinkClient
    func run() async throws {
        try? await gracefulShutdown()
        await client.shutdown()
    }
}
