using System.Diagnostics.Metrics;
using Amnify.Api.Engine;

namespace Amnify.Api.Telemetry;

/// <summary>
/// The product's own series (meter <c>Amnify</c>), one <c>Record…</c> method per thing the engine reports, so a call
/// site is one line. Static, as the .NET guidance for app-wide meters has it: the engine's call sites need no wiring,
/// and every MeterProvider of the process (the Prometheus exporter's) listens to it. Labels are bounded sets only
/// (operation, status, gate, phase, command, exit code, outcome): never an id, a name or a value of a run or a user.
/// </summary>
public static class AmnifyMetrics
{
    public const string MeterName = "Amnify";

    private static readonly Meter Meter = new(MeterName);

    // Buckets in seconds: queue waits are seconds to minutes, approvals minutes to days, Terraform phases seconds to hours.
    private static readonly double[] QueueBuckets = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900, 3600];
    private static readonly double[] ApprovalBuckets = [1, 10, 60, 300, 900, 1800, 3600, 7200, 14400, 28800, 86400, 259200, 604800];
    private static readonly double[] PhaseBuckets = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 7200];
    private static readonly double[] DeliveryBuckets = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    private static readonly Counter<long> Runs = Meter.CreateCounter<long>(
        "amnify.runs", "{run}", "Deployment runs entering a status, by operation and status.");

    private static readonly Histogram<double> QueueWait = Meter.CreateHistogram(
        "amnify.run.queue_wait", "s", "Time a run waited from queued to its first claim by a worker (a busy deployment's line included).",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = QueueBuckets });

    private static readonly Histogram<double> ApprovalWait = Meter.CreateHistogram(
        "amnify.run.approval_wait", "s", "Time a run waited at an approval gate (plan: from planned; apply: from plan approved).",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = ApprovalBuckets });

    private static readonly Histogram<double> PhaseDuration = Meter.CreateHistogram(
        "amnify.run.phase.duration", "s", "Wall time of each Terraform phase of a run (init, plan, apply).",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = PhaseBuckets });

    private static readonly Counter<long> TerraformExits = Meter.CreateCounter<long>(
        "amnify.terraform.exits", "{process}", "Terraform processes ended, by command and exit code (killed: timed out or cancelled).");

    private static readonly UpDownCounter<long> InFlight = Meter.CreateUpDownCounter<long>(
        "amnify.worker.runs_in_flight", "{run}", "Runs this worker process is working on now, by phase.");

    private static readonly Counter<long> LeaseRenewals = Meter.CreateCounter<long>(
        "amnify.lease.renewals", "{renewal}",
        "Lease renewals of this worker: renewed; gone (the run was no longer this worker's: finished, cancelled or taken over); failed (no database).");

    private static readonly Counter<long> LeaseLosses = Meter.CreateCounter<long>(
        "amnify.lease.losses", "{lease}", "Leases that expired: a worker stopped renewing and the lease sweep took its run back (or failed it).");

    private static readonly Counter<long> WebhookDeliveries = Meter.CreateCounter<long>(
        "amnify.webhook.deliveries", "{delivery}", "Webhook delivery attempts, by outcome (delivered, retrying, failed: gave up).");

    private static readonly Histogram<double> WebhookDuration = Meter.CreateHistogram(
        "amnify.webhook.delivery.duration", "s", "Time of each webhook delivery attempt, by outcome.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DeliveryBuckets });

    public static readonly string[] Phases = ["init", "plan", "apply"];

    public static void RecordRun(RunOperation operation, RunStatus status) =>
        Runs.Add(1, new("operation", operation.Code()), new("status", status.Code()));

    /// <summary>Whether anything listens for the waits, so their timestamps are read only when they are exported.</summary>
    public static bool WaitsEnabled => QueueWait.Enabled || ApprovalWait.Enabled;

    public static void RecordQueueWait(RunOperation operation, double seconds) =>
        QueueWait.Record(Math.Max(0, seconds), new KeyValuePair<string, object?>("operation", operation.Code()));

    /// <param name="gate"><c>plan</c> or <c>apply</c>.</param>
    public static void RecordApprovalWait(string gate, RunOperation operation, double seconds) =>
        ApprovalWait.Record(Math.Max(0, seconds), new("gate", gate), new("operation", operation.Code()));

    /// <summary>A Terraform process ended: its exit code, and its wall time when it was a phase of a run.</summary>
    public static void RecordTerraform(string command, string exitCode, TimeSpan elapsed)
    {
        TerraformExits.Add(1, new("command", command), new("code", exitCode));
        if (Phases.Contains(command)) PhaseDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("phase", command));
    }

    public static void RecordLeaseRenewal(bool renewed) =>
        LeaseRenewals.Add(1, new KeyValuePair<string, object?>("outcome", renewed ? "renewed" : "gone"));

    public static void RecordLeaseRenewalFailed() => LeaseRenewals.Add(1, new KeyValuePair<string, object?>("outcome", "failed"));

    /// <summary>Counted once, by the worker whose sweep found the lease expired (the worker that lost it may be dead).</summary>
    public static void RecordLeaseExpired() => LeaseLosses.Add(1);

    /// <summary>For the webhook dispatcher: one attempt, <paramref name="outcome"/> <c>delivered</c>, <c>retrying</c> or <c>failed</c>.</summary>
    public static void RecordWebhookDelivery(string outcome, TimeSpan elapsed)
    {
        WebhookDeliveries.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
        WebhookDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("outcome", outcome));
    }

    /// <summary>A run's phase on this worker, counted in flight until disposed.</summary>
    public static IDisposable InFlightRun(string phase)
    {
        var tag = new KeyValuePair<string, object?>("phase", phase);
        InFlight.Add(1, tag);
        return new Finally(() => InFlight.Add(-1, tag));
    }

    /// <summary>
    /// Series that exist before their first event, at zero, so a scrape shows them and <c>rate()</c> starts from a
    /// known value (Prometheus cannot tell a counter never incremented from one not exported).
    /// </summary>
    internal static void StartSeries(ProcessRole role)
    {
        if (!role.RunsWorker) return;
        foreach (var phase in new[] { "plan", "apply" }) InFlight.Add(0, new KeyValuePair<string, object?>("phase", phase));
        foreach (var outcome in new[] { "renewed", "gone", "failed" }) LeaseRenewals.Add(0, new KeyValuePair<string, object?>("outcome", outcome));
        LeaseLosses.Add(0);
        foreach (var outcome in new[] { "delivered", "retrying", "failed" })
            WebhookDeliveries.Add(0, new KeyValuePair<string, object?>("outcome", outcome));
    }

    private sealed class Finally(Action action) : IDisposable
    {
        private int done;
        public void Dispose()
        {
            if (Interlocked.Exchange(ref done, 1) == 0) action();
        }
    }
}
