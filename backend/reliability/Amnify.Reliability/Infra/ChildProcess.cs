using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Amnify.Reliability.Infra;

/// <summary>
/// An OS process the harness started (the API or a worker). It runs under <c>setsid</c>, so it leads its
/// own process group: a plain kill hits the process alone (its terraform children live on, as after a
/// crash of the .NET process), a group kill takes its whole tree (as when the machine dies).
/// Output goes to a log file. Only processes started here are ever signalled, by their id.
/// </summary>
public sealed partial class ChildProcess
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
        string logPath, int? port = null)
    {
        var start = new ProcessStartInfo("setsid")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
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
