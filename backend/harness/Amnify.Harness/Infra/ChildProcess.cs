using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Amnify.Harness.Infra;

/// <summary>
/// An OS process a harness started (the API, a worker, the baseline app). It runs under <c>setsid</c>, so it
/// leads its own process group: a plain kill hits the process alone (its terraform children live on, as after
/// a crash of the .NET process), a group kill takes its whole tree (as when the machine dies).
/// Output goes to a log file; its peak RSS is read from /proc. Only processes started here are ever
/// signalled, by their id; <see cref="DisposeAsync"/> stops it and whatever is left in its group.
/// </summary>
public sealed partial class ChildProcess : IAsyncDisposable
{
    private const int SigTerm = 15;
    private const int SigKill = 9;

    private readonly Process process;
    private readonly StreamWriter log;
    private readonly Task pumps;

    public string Name { get; }
    public string LogPath { get; }
    public int Pid { get; }
    public int? Port { get; }
    public bool HasExited => process.HasExited;
    /// <summary>Peak resident set size seen by <see cref="ReadPeakRss"/> (kept after the process is stopped).</summary>
    public long? PeakRssBytes { get; private set; }

    private ChildProcess(string name, Process process, string logPath, int? port)
    {
        Name = name;
        this.process = process;
        Pid = process.Id;
        Port = port;
        LogPath = logPath;
        log = new StreamWriter(new FileStream(logPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        pumps = Task.WhenAll(Pump(process.StandardOutput), Pump(process.StandardError));
    }

    public static ChildProcess Start(string name, string file, IEnumerable<string> args, IReadOnlyDictionary<string, string> environment,
        string logPath, int? port = null, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo("setsid")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        start.ArgumentList.Add(file);
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var (k, v) in environment) start.Environment[k] = v;
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{name} did not start");
        process.StandardInput.Close();
        return new ChildProcess(name, process, logPath, port);
    }

    private async Task Pump(StreamReader reader)
    {
        try
        {
            while (await reader.ReadLineAsync() is { } line)
                lock (log) log.WriteLine(line);
        }
        catch (IOException) { }
        catch (ObjectDisposedException) { }
    }

    /// <summary>Polls <paramref name="url"/> until it answers 2xx; fails early, with the log's tail, if the process dies.</summary>
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
            await Task.Delay(100);
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
            return string.Join('\n', reader.ReadToEnd().Split('\n').TakeLast(lines));
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
            foreach (var line in File.ReadLines($"/proc/{Pid}/status"))
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    PeakRssBytes = long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0]) * 1024;
                    return PeakRssBytes;
                }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException) { }
        return null;
    }

    /// <summary>Reads the peak RSS, then <see cref="Stop"/> with a 10 s grace, and closes the log.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited) ReadPeakRss();
        await Stop(TimeSpan.FromSeconds(10));
        try { await pumps.WaitAsync(TimeSpan.FromSeconds(5)); } catch (TimeoutException) { }
        lock (log) log.Dispose();
        process.Dispose();
    }

    /// <summary>kill -9 of the process alone.</summary>
    public void Kill() => Signal(Pid, SigKill);

    /// <summary>kill -9 of the process group this process leads: it and every child it started.</summary>
    public void KillTree() => Signal(-Pid, SigKill);

    public void Terminate() => Signal(Pid, SigTerm);

    public async Task<bool> WaitForExit(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try { await process.WaitForExitAsync(cts.Token); }
        catch (OperationCanceledException) { return false; }
        try { await pumps.WaitAsync(TimeSpan.FromSeconds(2)); } catch (TimeoutException) { }
        return true;
    }

    /// <summary>SIGTERM, then kill -9 of the whole group after the grace period.</summary>
    public async Task Stop(TimeSpan grace)
    {
        if (!process.HasExited)
        {
            Terminate();
            if (!await WaitForExit(grace)) KillTree();
        }
        await WaitForExit(TimeSpan.FromSeconds(5));
        KillGroupMembers(Pid);
        lock (log) log.Flush();
    }

    public void Note(string line)
    {
        lock (log) log.WriteLine($"---- harness: {line}");
    }

    /// <summary>
    /// Processes still in the group <paramref name="pgid"/> (e.g. terraform children orphaned by a killed
    /// worker): read from /proc; each is a descendant of a process this harness started.
    /// </summary>
    public static List<int> GroupMembers(int pgid)
    {
        var members = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                // fields[0] = state, [1] = ppid, [2] = pgrp
                if (fields[0] != "Z" && int.Parse(fields[2]) == pgid) members.Add(pid);
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
            catch (FormatException) { }
        }
        return members;
    }

    /// <summary>Every process below <paramref name="pid"/> in the process tree, read from /proc.</summary>
    public static List<int> Descendants(int pid)
    {
        var children = new Dictionary<int, List<int>>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var child)) continue;
            if (Stat(child) is not { } fields || fields[0] == "Z") continue;
            var parent = int.Parse(fields[1]);
            (children.TryGetValue(parent, out var list) ? list : children[parent] = []).Add(child);
        }
        var found = new List<int>();
        var next = new Queue<int>([pid]);
        while (next.TryDequeue(out var p))
            foreach (var c in children.GetValueOrDefault(p) ?? []) { found.Add(c); next.Enqueue(c); }
        return found;
    }

    /// <summary>Alive and not a zombie (a zombie is dead, only not yet reaped).</summary>
    public static bool IsAlive(int pid) => Stat(pid) is { } fields && fields[0] != "Z";

    /// <summary>The fields of /proc/&lt;pid&gt;/stat after the command name: [0] state, [1] ppid, [2] pgrp.</summary>
    private static string[]? Stat(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    public static void KillGroupMembers(int pgid)
    {
        foreach (var pid in GroupMembers(pgid)) Signal(pid, SigKill);
    }

    private static void Signal(int pid, int signal)
    {
        if (pid == 0 || pid == -1) return;
        _ = kill(pid, signal);
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int sig);
}
