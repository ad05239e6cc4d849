import Logging
import ServiceLifecycle
import StallCore
import StallPlatform
import StallProtocols

/// Follows udev's `sound` events for the ALSA speaker's card (matched by ALSA card id, or,
/// for `pcm = "usb"`, any card the device catalog takes for a speaker): a card plugged in is
/// opened at once, an unplugged one shows `absent` at once, rather than when the next
/// payment finds out.
public final class SoundCardWatcher: Service {
    let speaker: ALSASpeaker
    /// nil: any USB sound card the catalog gives the speaker role.
    let cardID: String?
    let liveness: Liveness
    let logger: Logger

    public init(speaker: ALSASpeaker, cardID: String?, liveness: Liveness, logger: Logger) {
        self.speaker = speaker
        self.cardID = cardID
        self.liveness = liveness
        self.logger = logger
    }

    var loopName: String { "sound:" + (cardID ?? "usb") }

    func matches(_ device: UdevDevice) -> Bool {
        guard let id = device.cardID else { return false }
        if let cardID { return id == cardID }
        return DeviceCatalog.role(subsystem: "sound", properties: device.properties) == .speaker
    }

    public func run() async throws {
        // sysfs paths of our card as seen, so that its removal (when sysfs no longer has
        // the id) is recognised.
        var ours: Set<String> = []
        await UdevFollower(subsystems: ["sound"]).run(
            stopping: { Task.isCancelled || Task.isShuttingDownGracefully },
            enumerated: { devices in
                ours = []
                var chosen: String?
                for device in devices where matches(device) && (cardID != nil || ours.isEmpty) {
                    ours.insert(device.sysPath)
                    chosen = device.cardID
                }
                logger.info("watching udev for the sound card", metadata: ["card": "\(cardID ?? "any USB")", "present": "\(chosen ?? "none")"])
                if ours.isEmpty { await speaker.cardRemoved() } else { await speaker.cardAdded(chosen) }
            },
            event: { event in
                if event.action == "remove", ours.remove(event.sysPath) != nil {
                    logger.warning("sound card removed", metadata: ["card": "\(event.cardID ?? cardID ?? "?")"])
                    await speaker.cardRemoved()
                } else if event.action == "add" || event.action == "change", matches(event),
                    cardID != nil || ours.isEmpty || ours.contains(event.sysPath)
                {
                    ours.insert(event.sysPath)
                    logger.notice("sound card added", metadata: ["card": "\(event.cardID ?? "?")"])
                    await speaker.cardAdded(event.cardID)
                }
            },
            failed: { error, inARow in
                guard inARow > 0 else {
                    logger.warning("udev monitor failed; enumerating again", metadata: ["error": "\(error)"])
                    return
                }
                if inARow == 1 {
                    logger.warning("udev unavailable; the sound card is reopened by the next phrase", metadata: ["error": "\(error)"])
                }
                liveness.idle(loopName)
                let delay = Duration.seconds(min(30, 1 << min(inARow, 5)))
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: delay) }
            },
            waiting: { liveness.idle(loopName) })
        liveness.finished(loopName)
    }
}
