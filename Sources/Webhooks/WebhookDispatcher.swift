import Foundation
import Logging
import Synchronization
import VideoCore

/// The delivery thread of one webhook output: takes events from a bounded queue (the oldest is
/// dropped when it is full, counted) and POSTs them one at a time, retrying by `WebhookRetryPolicy`.
/// `enqueue` never blocks beyond a lock, so the frame path never waits for a receiver.
///
/// Logging is bounded: the first drop, the first failure of a series and the recovery after it
/// are logged; every event is counted in `counters`.
final class WebhookDispatcher: Sendable {
    private let queue: BoundedQueue<WebhookDelivery>
    private let poster: PosterBox
    private let secret: WebhookSecret?
    private let policy: WebhookRetryPolicy
    private let counters: WebhookCounters
    private let logger: Logger
    private let name: String
    /// Fired when the output must stop now: back-off waits and the attempt in flight end.
    private let stop: StopSignal
    private let done = DispatchSemaphore(value: 0)
    /// Events abandoned because the output stopped before they were delivered.
    private let abandoned = Atomic<Int>(0)

    /// The libcurl handle, used by the delivery thread only (`@unchecked Sendable`: handed to
    /// that thread once at start and never touched elsewhere).
    private final class PosterBox: @unchecked Sendable {
        let poster: CurlPoster
        init(_ poster: CurlPoster) { self.poster = poster }
    }

    /// A dispatcher POSTing through `poster` (whose stop signal is `stop`); not started.
    init(
        poster: CurlPoster, stop: StopSignal, endpoint: WebhookEndpoint, secret: WebhookSecret?,
        policy: WebhookRetryPolicy, capacity: Int, counters: WebhookCounters, logger: Logger
    ) {
        self.poster = PosterBox(poster)
        self.stop = stop
        self.secret = secret
        self.policy = policy
        self.counters = counters
        self.logger = logger
        name = "webhook \(endpoint)"
        queue = BoundedQueue(capacity: capacity, policy: .dropOldest)
    }

    /// Starts the delivery thread.
    func start() {
        let thread = Thread { [self] in
            deliverUntilClosed()
            done.signal()
        }
        thread.name = "facestream.webhook"
        thread.start()
    }

    /// Queues `delivery` without waiting; a full queue loses its oldest event (counted, the first
    /// time logged).
    func enqueue(_ delivery: WebhookDelivery) {
        if queue.push(delivery) == .enqueuedDroppingOldest {
            counters.countDropped()
            if queue.dropped == 1 {
                logger.warning(
                    "\(name): \(queue.capacity) events waiting, the receiver is too slow; dropping the oldest (counted in the summary)"
                )
            }
        }
    }

    /// Events waiting now (not counting the one being delivered).
    var waiting: Int { queue.count }

    /// Ends the output: waits up to `wait` for the queued events, then abandons the rest (counted
    /// as dropped) and the attempt in flight; returns how many were left undelivered. Returns after
    /// about `wait` plus one second at most (libcurl checks the stop signal about once a second).
    func finish(waitingAtMost wait: Duration) -> Int {
        queue.close()
        if done.wait(timeout: .now() + .nanoseconds(Int(wait.wholeNanoseconds))) == .timedOut {
            stop.fire()
            done.wait()
        }
        return abandoned.load(ordering: .relaxed)
    }

    private func deliverUntilClosed() {
        var failing = false
        var failedWhileFailing = 0
        while let delivery = queue.pop() {
            if stop.isFired {
                abandon()
                continue
            }
            switch deliver(delivery) {
            case .success:
                counters.countSent()
                if failing {
                    logger.notice("\(name): delivering again (\(failedWhileFailing) events failed meanwhile)")
                    failing = false
                }
            case .failure(let outcome) where outcome == .cancelled:
                abandon()
            case .failure(let outcome):
                counters.countFailed()
                if failing {
                    failedWhileFailing += 1
                } else {
                    logger.warning(
                        "\(name): an event could not be delivered (\(outcome.reason)); further failures are counted, not logged, until one is delivered"
                    )
                    failing = true
                    failedWhileFailing = 1
                }
            }
        }
    }

    private func abandon() {
        abandoned.add(1, ordering: .relaxed)
        counters.countDropped()
    }

    /// One event, attempt after attempt, until delivered or given up.
    private func deliver(_ delivery: WebhookDelivery) -> Result<Void, HTTPOutcome> {
        let headers = delivery.headers(secret: secret)
        var attempt = 1
        while true {
            counters.countAttempt()
            let outcome = poster.poster.post(delivery.body, headers: headers)
            switch policy.decision(after: outcome, attempt: attempt) {
            case .delivered:
                return .success(())
            case .giveUp:
                return .failure(stop.isFired ? .cancelled : outcome)
            case .retry(let delay):
                logger.debug("\(name): attempt \(attempt) failed (\(outcome.reason)); next in \(delay)")
                if stop.wait(for: delay) { return .failure(.cancelled) }
                attempt += 1
            }
        }
    }
}

extension HTTPOutcome: Error {}
