using System.Net;
using System.Text;

namespace Amnify.Reliability.Infra;

/// <summary>
/// A Terraform "http" remote-state endpoint on the loopback address that answers an empty state after the
/// delay in its path (<c>/delay/&lt;ms&gt;</c>). The recorder template reads it while planning
/// (<c>plan_delay_url</c>), which stretches the planning phase so faults can land inside it.
/// </summary>
public sealed class SlowStateServer : IDisposable
{
    private const string EmptyState = """{"version":4,"terraform_version":"1.11.4","serial":1,"lineage":"amnify-chaos-delay","outputs":{},"resources":[]}""";

    private readonly HttpListener listener = new();
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;

    public int Port { get; }

    public SlowStateServer()
    {
        Port = Cluster.FreePort();
        listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        listener.Start();
        loop = Task.Run(Serve);
    }

    public string Url(int delayMs) => $"http://127.0.0.1:{Port}/delay/{delayMs}";

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
