using System.Diagnostics;
using Dapper;
using Npgsql;

namespace Amnify.Api.Telemetry;

/// <summary>
/// Spans of the engine (source <c>Amnify.Engine</c>). A run keeps the W3C <c>traceparent</c> of whatever queued it (the
/// trigger's request, or the pipeline step before it), and the worker that claims the run, in whatever process, starts
/// its work as a child of that: one trace from the CI job's POST through init, plan and apply.
/// </summary>
public static class RunTracing
{
    public const string SourceName = "Amnify.Engine";

    private static readonly ActivitySource Source = new(SourceName);

    private const string StoredTraceParent = "SELECT trace_parent FROM deployment_runs WHERE id = @Id";

    private sealed record RunId(Guid Id);

    /// <summary>
    /// The trace context to store on a run queued now, sampled or not (its flags carry the caller's decision on to the
    /// worker); null when there is none.
    /// </summary>
    public static string? CurrentTraceParent() =>
        Activity.Current is { IdFormat: ActivityIdFormat.W3C } activity ? activity.Id : null;

    /// <summary>The trace context stored on the run, read only while spans are exported; telemetry never fails a run.</summary>
    public static async Task<string?> TraceParentOf(NpgsqlDataSource dataSource, Guid runId, CancellationToken cancellationToken)
    {
        if (!Source.HasListeners()) return null;
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            return await connection.ExecuteScalarAsync<string?>(new CommandDefinition(StoredTraceParent, new RunId(runId), cancellationToken: cancellationToken));
        }
        catch (NpgsqlException)
        {
            // The run's own work reads the database next and deals with its absence; its spans start a trace of their own.
            return null;
        }
    }

    /// <summary>
    /// One claimed phase of a run on this worker: its span (a child of the stored trigger context) and its place in
    /// <c>amnify_worker_runs_in_flight</c>, both until disposed. Called synchronously so the span becomes the caller's
    /// current activity, and the Terraform spans below it nest.
    /// </summary>
    public static IDisposable Work(Guid runId, string phase, string? traceParent)
    {
        var inFlight = AmnifyMetrics.InFlightRun(phase);
        ActivityContext.TryParse(traceParent, null, isRemote: true, out var parent);
        var activity = Source.StartActivity($"run {phase}", ActivityKind.Consumer, parent,
            [new("amnify.run.id", runId.ToString()), new("amnify.run.phase", phase)]);
        return new WorkScope(activity, inFlight);
    }

    /// <summary>A Terraform process: its span, its exit code and, for init, plan and apply, its phase duration.</summary>
    public static TerraformProcess Terraform(string command) =>
        new(command, Source.StartActivity($"terraform {command}", ActivityKind.Internal, default(ActivityContext),
            [new("terraform.command", command)]));

    private sealed class WorkScope(Activity? activity, IDisposable inFlight) : IDisposable
    {
        public void Dispose()
        {
            activity?.Dispose();
            inFlight.Dispose();
        }
    }

    public sealed class TerraformProcess(string command, Activity? activity) : IDisposable
    {
        private readonly long started = Stopwatch.GetTimestamp();
        private string? exitCode;

        /// <summary>Records how the process exited and answers its exit code.</summary>
        public int Exited(int code)
        {
            exitCode = code.ToString(System.Globalization.CultureInfo.InvariantCulture);
            // plan -detailed-exitcode answers 2 for "changes": a success.
            if (code != 0 && !(command == "plan" && code == 2)) activity?.SetStatus(ActivityStatusCode.Error, $"exit code {code}");
            return code;
        }

        public void Dispose()
        {
            // No exit recorded: the process was killed (its timeout, or the run was cancelled).
            if (exitCode is null) activity?.SetStatus(ActivityStatusCode.Error, "killed");
            activity?.SetTag("process.exit.code", exitCode ?? "killed");
            AmnifyMetrics.RecordTerraform(command, exitCode ?? "killed", Stopwatch.GetElapsedTime(started));
            activity?.Dispose();
        }
    }
}
