using System.Net.Sockets;
using System.Text.Json;
using Amnify.Cli.Api;

namespace Amnify.Cli;

/// <summary>
/// The exit codes CI jobs branch on (README "The amnify CLI"): what happened to the run, or why nothing could be
/// asked. 5 is the only one worth retrying blindly: rerun with the same idempotency key and the same run is answered.
/// </summary>
public static class Exit
{
    public const int Completed = 0;
    public const int Failed = 1;
    /// <summary>Cancelled, rejected or expired: a person or a policy stopped it.</summary>
    public const int Stopped = 2;
    /// <summary>Still waiting for a person when <c>--wait</c> ended (its timeout, or <c>--until approval</c>).</summary>
    public const int AwaitingApproval = 3;
    /// <summary>Bad usage or configuration, or the server refused the request: 400, 401, 403, 404, 409, 412, 422.</summary>
    public const int Usage = 4;
    /// <summary>The network, a 5xx, a 429, or a run still working when <c>--wait</c> timed out.</summary>
    public const int Transient = 5;

    /// <summary>A final pipeline run status as an exit code; null while the run goes on.</summary>
    public static int? Of(PipelineRunStatus status) => status switch
    {
        PipelineRunStatus.Completed => Completed,
        PipelineRunStatus.Failed => Failed,
        PipelineRunStatus.Cancelled or PipelineRunStatus.Rejected or PipelineRunStatus.Expired => Stopped,
        _ => null,
    };

    /// <summary>A final deployment run status as an exit code; null while the run goes on.</summary>
    public static int? Of(RunStatus status) => status switch
    {
        RunStatus.Completed or RunStatus.Destroyed or RunStatus.NoChanges => Completed,
        RunStatus.Failed => Failed,
        RunStatus.Cancelled or RunStatus.Rejected or RunStatus.Expired => Stopped,
        _ => null,
    };

    public static bool IsTransient(Exception e) => e switch
    {
        ApiException api => api.StatusCode is 429 or >= 500,
        HttpRequestException or SocketException or TimeoutException or IOException => true,
        TaskCanceledException => true, // HttpClient's own timeout
        _ => false,
    };

    /// <summary>What a failed call means for the caller, with one line that says why.</summary>
    public static (int Code, string Message) Of(Exception e) => e switch
    {
        UsageException usage => (Usage, usage.Message),
        ApiException api => (IsTransient(api) ? Transient : Usage, $"{api.StatusCode} {Problem(api.Response) ?? api.Message.Split('\n')[0]}"),
        _ when IsTransient(e) => (Transient, $"cannot reach the server: {e.Message}"),
        _ => (Failed, e.Message),
    };

    private static string? Problem(string? body)
    {
        try
        {
            using var json = JsonDocument.Parse(body ?? "");
            var root = json.RootElement;
            var title = root.TryGetProperty("title", out var t) ? t.GetString() : null;
            var detail = root.TryGetProperty("detail", out var d) ? d.GetString() : null;
            return detail is null ? title : $"{title}: {detail}";
        }
        catch (JsonException) { return null; }
    }
}

/// <summary>A mistake on the command line or in the configuration (exit 4), said in one sentence.</summary>
public sealed class UsageException(string message) : Exception(message);
