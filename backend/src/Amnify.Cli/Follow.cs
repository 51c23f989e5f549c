namespace Amnify.Cli;

/// <summary>
/// Wakes a waiting command whenever the run's event stream (Server-Sent Events) sends an event, so every change is
/// seen at once; the command then reads the run itself. When the stream cannot be opened or drops, waking falls back
/// to a poll every <see cref="PollEvery"/>, so a proxy that cuts long responses only slows the wait down.
/// </summary>
public sealed class Follow : IAsyncDisposable
{
    public static readonly TimeSpan PollEvery = TimeSpan.FromSeconds(2);
    /// <summary>A check now and then even while the stream is up, in case an event is lost on the way.</summary>
    private static readonly TimeSpan CheckEvery = TimeSpan.FromSeconds(15);

    private readonly SemaphoreSlim changed = new(0);
    private readonly CancellationTokenSource stop = new();
    private readonly Task reading;
    private volatile bool dropped;
    private string? dropReason;

    private Follow(Session session, string eventsPath) => reading = Read(session, eventsPath);

    public static Follow Start(Session session, string eventsPath) => new(session, eventsPath);

    /// <summary>Once, after the stream went away: why, for a progress line (a run that ends closes its stream too).</summary>
    public string? TakeDropNotice() =>
        Interlocked.Exchange(ref dropReason, null) is { } reason ? $"event stream {reason}; polling every {PollEvery.TotalSeconds:0} s" : null;

    /// <summary>Waits for the next event, at most <paramref name="limit"/> (and at most one poll interval once the stream is gone).</summary>
    public async Task Next(TimeSpan limit, CancellationToken ct)
    {
        var wait = dropped ? PollEvery : CheckEvery;
        await changed.WaitAsync(limit < wait ? limit : wait, ct);
        while (changed.CurrentCount > 0) await changed.WaitAsync(0, ct); // one read covers every event so far
    }

    private async Task Read(Session session, string path)
    {
        await Task.Yield();
        try
        {
            using var response = await session.OpenStream(path, stop.Token);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(stop.Token));
            while (await reader.ReadLineAsync(stop.Token) is { } line)
                if (line.Length == 0) changed.Release(); // a blank line ends an event
            dropReason = "ended";
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested) { return; }
        catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException)
        {
            dropReason = e is HttpRequestException { StatusCode: { } status } ? $"refused ({(int)status})" : "dropped";
        }
        dropped = true;
        changed.Release();
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        try { await reading; } catch (OperationCanceledException) { }
        stop.Dispose();
        changed.Dispose();
    }
}
