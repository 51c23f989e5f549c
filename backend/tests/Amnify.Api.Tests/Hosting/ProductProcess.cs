using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Amnify.Api.Tests.Hosting;

/// <summary>
/// The product as a real OS process (`dotnet Amnify.Api.dll …`), as a container would run it: its own
/// environment and command line, nothing inherited from the test process but what a shell gives (PATH, HOME).
/// Output goes to a log file that is shown when a test fails.
/// </summary>
public sealed class ProductProcess : IAsyncDisposable
{
    private readonly Process process;

    public string Name { get; }
    public int Port { get; }
    public string LogPath { get; }
    public int Pid => process.Id;
    public bool HasExited => process.HasExited;
    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    private ProductProcess(string name, int port, string logPath, Process process) =>
        (Name, Port, LogPath, this.process) = (name, port, logPath, process);

    private static string ApiDll => Path.Combine(AppContext.BaseDirectory, "Amnify.Api.dll");

    public static ProductProcess Start(string name, IEnumerable<string> args, IReadOnlyDictionary<string, string> environment, string logDir)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(ApiDll);
        foreach (var a in args) start.ArgumentList.Add(a.Replace("{port}", port.ToString(), StringComparison.Ordinal));
        start.Environment.Clear();
        foreach (var inherited in new[] { "PATH", "HOME", "DOTNET_ROOT", "TMPDIR" })
            if (Environment.GetEnvironmentVariable(inherited) is { } value) start.Environment[inherited] = value;
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (key, value) in environment) start.Environment[key] = value;

        Directory.CreateDirectory(logDir);
        var logPath = Path.Combine(logDir, $"{name}.log");
        var log = new StreamWriter(logPath, append: false) { AutoFlush = true };
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var gate = new object();
        void Write(string? line) { if (line is not null) lock (gate) log.WriteLine(line); }
        process.OutputDataReceived += (_, e) => Write(e.Data);
        process.ErrorDataReceived += (_, e) => Write(e.Data);
        process.Exited += (_, _) => { lock (gate) log.Flush(); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ProductProcess(name, port, logPath, process);
    }

    public HttpClient Client(string? bearer = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (bearer is not null) client.DefaultRequestHeaders.Authorization = new("Bearer", bearer);
        return client;
    }

    /// <summary>Waits until <c>/readyz</c> answers 200; fails with the process's log if it exits or never gets there.</summary>
    public async Task WaitUntilReady(TimeSpan? within = null)
    {
        using var client = Client();
        var until = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(90));
        while (DateTime.UtcNow < until)
        {
            if (process.HasExited) throw new Xunit.Sdk.XunitException($"{Name} exited with {process.ExitCode} before it was ready:\n{Log()}");
            try
            {
                if ((await client.GetAsync("/readyz")).StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) { }
            await Task.Delay(200);
        }
        throw new Xunit.Sdk.XunitException($"{Name} was not ready in time:\n{Log()}");
    }

    public string Log()
    {
        try
        {
            using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            return new StreamReader(stream).ReadToEnd();
        }
        catch (IOException e) { return $"(log unreadable: {e.Message})"; }
    }

    /// <summary>SIGKILL: what a crash, an OOM kill or a lost machine does to a worker.</summary>
    public void Kill()
    {
        if (!process.HasExited) process.Kill(entireProcessTree: false);
        process.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
