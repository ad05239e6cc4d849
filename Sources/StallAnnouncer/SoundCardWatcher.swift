import Logging
import ServiceLifecycle
import StallCore
import StallPlatform

/// Follows udev's `sound` events for the ALSA speaker's card (matched by ALSA card id): a
/// card plugged in is opened at once, an unplugged one shows `absent` at once, rather than
/// when the next payment finds out.
public final class SoundCardWatcher: Service {
    let speaker: ALSASpeaker
    let cardID: String
    let liveness: Liveness
    let logger: Logger

    public init(speaker: ALSASpeaker, cardID: String, liveness: Liveness, logger: Logger) {
        self.speaker = speaker
        self.cardID = cardID
        self.liveness = liveness
        self.logger = logger
    }

    var loopName: String { "sound:" + cardID }

    public func run() async throws {
        /// sysfs paths of our card as seen, so that its removal (when sysfs no longer has
        /// the id) is recognised.
        var ours: Set<String> = []
        var failures = 0
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            liveness.beat(loopName)
            let monitor: UdevMonitor
            do {
                monitor = try UdevMonitor(subsystems: ["sound"])
                for device in try UdevEnumeration.devices(subsystems: ["sound"]) where device.cardID == cardID {
                    ours.insert(device.sysPath)
                }
                logger.info("watching udev for the sound card", metadata: ["card": "\(cardID)", "present": "\(!ours.isEmpty)"])
                if ours.isEmpty { await speaker.cardRemoved() } else { await speaker.cardAdded() }
            } catch {
                failures += 1
                if failures == 1 { logger.warning("udev unavailable; the sound card is reopened by the next phrase", metadata: ["error": "\(error)"]) }
                liveness.idle(loopName)
                let delay = Duration.seconds(min(30, 1 << min(failures, 5)))
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: delay) }
                continue
            }
            failures = 0
            defer { monitor.close() }
            do {
                while !Task.isCancelled && !Task.isShuttingDownGracefully {
                    liveness.idle(loopName)
                    guard let event = try await monitor.receive(timeoutMs: 250) else { continue }
                    if event.action == "remove", ours.remove(event.sysPath) != nil {
                        logger.warning("sound card removed", metadata: ["card": "\(cardID)"])
                        await speaker.cardRemoved()
                    } else if event.action == "add" || event.action == "change", event.cardID == cardID {
                        ours.insert(event.sysPath)
                        logger.notice("sound card added", metadata: ["card": "\(cardID)"])
                        await speaker.cardAdded()
                    }
                }
            } catch {
                logger.warning("udev monitor failed; enumerating again", metadata: ["error": "\(error)"])
            }
        }
        liveness.finished(loopName)
    }
}
