using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Amnify.Bench.Infra;

/// <summary>
/// An OS process the bench started (the API, a worker, the baseline app): its output goes to a log file,
/// its peak RSS is read from /proc, and <see cref="DisposeAsync"/> stops it — SIGTERM, then a kill of its
/// own process tree after a grace period. Only processes started here are ever signalled, by their id.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StreamWriter log;
    private readonly Task pumps;

    public string Name { get; }
    public string LogPath { get; }
    public int Id => process.Id;
    public bool HasExited => process.HasExited;
    /// <summary>Peak resident set size seen by <see cref="ReadPeakRss"/> (kept after the process is stopped).</summary>
    public long? PeakRssBytes { get; private set; }

    private ChildProcess(string name, Process process, string logPath)
    {
        Name = name;
        this.process = process;
        LogPath = logPath;
        log = new StreamWriter(logPath) { AutoFlush = true };
        pumps = Task.WhenAll(Pump(process.StandardOutput), Pump(process.StandardError));
    }

    public static ChildProcess Start(string name, string file, IEnumerable<string> args, IReadOnlyDictionary<string, string> environment,
        string logPath, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var (k, v) in environment) start.Environment[k] = v;
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}");
        return new ChildProcess(name, process, logPath);
    }

    private async Task Pump(StreamReader reader)
    {
        while (await reader.ReadLineAsync() is { } line)
            lock (log) log.WriteLine(line);
    }

    /// <summary>Polls <paramref name="url"/> until it answers 2xx; fails early if the process dies.</summary>
    public async Task WaitReady(string url, TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"{Name} exited with {process.ExitCode} before it was ready; see {LogPath}:\n{Tail(30)}");
            try
            {
                using var response = await http.GetAsync(url);
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(200);
        }
        throw new TimeoutException($"{Name} was not ready at {url} within {timeout}; see {LogPath}:\n{Tail(30)}");
    }

    public string Tail(int lines)
    {
        try
        {
            lock (log) log.Flush();
            using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            var all = reader.ReadToEnd().Split('\n');
            return string.Join('\n', all.TakeLast(lines));
        }
        catch (IOException e)
        {
            return e.Message;
        }
    }

    /// <summary>VmHWM of the process (its peak RSS so far), in bytes; null once it has exited.</summary>
    public long? ReadPeakRss()
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{process.Id}/status"))
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    var kb = long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0]);
                    PeakRssBytes = kb * 1024;
                    return PeakRssBytes;
                }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException) { }
        return null;
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            ReadPeakRss();
            _ = Kill(process.Id, SigTerm);
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try { await process.WaitForExitAsync(grace.Token); }
            catch (OperationCanceledException)
            {
                try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
                await process.WaitForExitAsync();
            }
        }
        try { await pumps.WaitAsync(TimeSpan.FromSeconds(5)); } catch (TimeoutException) { }
        lock (log) log.Dispose();
        process.Dispose();
    }

    private const int SigTerm = 15;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
