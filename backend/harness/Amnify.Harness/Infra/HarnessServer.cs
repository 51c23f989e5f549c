using System.Net;
using System.Text;

namespace Amnify.Harness.Infra;

/// <summary>
/// What the recorder template talks to on the loopback address (it runs sandboxed, so it can reach the
/// harness only over the network, never its files):
/// <c>GET /delay/&lt;ms&gt;</c>, a Terraform "http" remote-state endpoint answering an empty state after the
/// delay, read while planning (<c>plan_delay_url</c>) to stretch the phase so faults can land inside it;
/// <c>POST /record/&lt;name&gt;</c>, which appends the body (one line per apply) to &lt;record dir&gt;/&lt;name&gt;.log.
/// </summary>
public sealed class HarnessServer : IDisposable
{
    private const string EmptyState = """{"version":4,"terraform_version":"1.11.4","serial":1,"lineage":"amnify-chaos-delay","outputs":{},"resources":[]}""";

    private readonly HttpListener listener = new();
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;

    public int Port { get; }

    private readonly string recordDir;
    private readonly object recordLock = new();

    public HarnessServer(string recordDir)
    {
        this.recordDir = recordDir;
        Port = Cluster.FreePort();
        listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        listener.Start();
        loop = Task.Run(Serve);
    }

    public string Url(int delayMs) => $"http://127.0.0.1:{Port}/delay/{delayMs}";

    public string RecordUrl => $"http://127.0.0.1:{Port}/record";

    private async Task Serve()
    {
        while (!stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try { context = await listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
            _ = Task.Run(async () =>
            {
                try
                {
                    var parts = context.Request.Url?.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries) ?? [];
                    if (parts is ["record", var name] && context.Request.HttpMethod == "POST" && !name.Contains("..", StringComparison.Ordinal))
                    {
                        var line = await new StreamReader(context.Request.InputStream).ReadToEndAsync(stop.Token);
                        lock (recordLock) File.AppendAllText(Path.Combine(recordDir, name + ".log"), line.TrimEnd('\n') + "\n");
                        context.Response.StatusCode = 204;
                        context.Response.Close();
                        return;
                    }
                    var delay = parts.Length == 2 && parts[0] == "delay" && int.TryParse(parts[1], out var ms) ? Math.Clamp(ms, 0, 30_000) : 0;
                    await Task.Delay(delay, stop.Token);
                    var body = Encoding.UTF8.GetBytes(EmptyState);
                    context.Response.ContentType = "application/json";
                    context.Response.ContentLength64 = body.Length;
                    await context.Response.OutputStream.WriteAsync(body, stop.Token);
                    context.Response.Close();
                }
                catch (Exception e) when (e is HttpListenerException or IOException or OperationCanceledException or ObjectDisposedException)
                {
                    try { context.Response.Abort(); } catch (ObjectDisposedException) { }
                }
            });
        }
    }

    public void Dispose()
    {
        stop.Cancel();
        try { listener.Stop(); listener.Close(); } catch (ObjectDisposedException) { }
        try { loop.Wait(TimeSpan.FromSeconds(2)); } catch (AggregateException) { }
    }
}
