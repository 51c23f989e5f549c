using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Text.RegularExpressions;
using Amnify.Harness.Infra;
using Amnify.Harness.Reporting;

namespace Amnify.Harness.Bench.Benchmarks;

/// <summary>
/// Benchmark 4: the SPA's production bundle — gzip size of every JS chunk and of the first load (what
/// index.html references) — and, in Chromium, how long the open run view takes to show a state change.
/// </summary>
public static partial class Spa
{
    /// <summary>
    /// Builds frontend/dist if it is missing. Called before the bench starts the API, which serves the SPA only if its
    /// folder exists at start-up: built later, the run view would find no page to open.
    /// </summary>
    public static async Task EnsureBuilt(string repo)
    {
        var frontend = Path.Combine(repo, "frontend");
        if (File.Exists(Path.Combine(frontend, "dist", "index.html"))) return;
        Console.WriteLine("  frontend/dist is missing: npm run build…");
        await Exec("npm", ["run", "build"], frontend);
    }

    public static async Task<SpaResult> Bundle(BenchContext ctx)
    {
        var dist = Path.Combine(ctx.Repo, "frontend", "dist");
        var index = await File.ReadAllTextAsync(Path.Combine(dist, "index.html"));
        var firstLoad = AssetReference().Matches(index).Select(m => Path.GetFileName(m.Groups[1].Value)).ToHashSet();
        var chunks = Directory.GetFiles(Path.Combine(dist, "assets"), "*.js")
            .Select(f => new SpaChunk(Path.GetFileName(f), new FileInfo(f).Length, GzipSize(f), firstLoad.Contains(Path.GetFileName(f))))
            .OrderByDescending(c => c.FirstLoad).ThenByDescending(c => c.GzipBytes).ToList();
        if (firstLoad.Count == 0 || chunks.Count == 0) throw new InvalidOperationException("frontend/dist has no JS that index.html references.");
        return new SpaResult(chunks, chunks.Where(c => c.FirstLoad).Sum(c => c.GzipBytes), chunks.Sum(c => c.GzipBytes));
    }

    /// <summary>The run view's latency in Chromium; answers why it was skipped when Chromium or playwright-core is missing.</summary>
    public static async Task<(SpaLatency? Latency, string? Skipped)> RunView(BenchContext ctx)
    {
        var frontend = Path.Combine(ctx.Repo, "frontend");
        if (!File.Exists("/usr/bin/chromium") && Environment.GetEnvironmentVariable("CHROMIUM") is null)
            return (null, "no Chromium at /usr/bin/chromium");
        if (!Directory.Exists(Path.Combine(frontend, "node_modules/playwright-core")))
            return (null, "playwright-core is not installed in frontend/node_modules");
        return (await RunViewLatency(ctx, frontend), null);
    }

    private static long GzipSize(string file)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        using (var input = File.OpenRead(file))
            input.CopyTo(gzip);
        return output.Length;
    }

    /// <summary>
    /// Queued runs (the API serving the SPA runs no worker, so they stay queued) are opened one by one in the
    /// run view; each is cancelled through the API once the view shows it, and the time until the view shows
    /// the cancellation is taken from the moment the cancel was sent and from the moment it was answered.
    /// </summary>
    private static async Task<SpaLatency> RunViewLatency(BenchContext ctx, string frontend)
    {
        var api = ctx.Api;
        var projectId = ctx.ProjectId ??= await api.CreateProject($"bench-{ctx.Stamp}");
        var environmentId = ctx.EnvironmentId ??= await api.CreateCloudEnvironment($"bench-env-{ctx.Stamp}");
        var deployment = (await api.CreateNetworkDeployments(projectId, environmentId, "spa", 1))[0];
        var runs = new List<Guid>();
        for (var i = 0; i < ctx.Sizes.SpaSamples; i++)
            runs.Add(ApiClient.Id(await api.PostJson($"/api/v1/deployments/{deployment}/runs", new { operation = "execute" }, HttpStatusCode.Accepted)));

        var script = Path.Combine(AppContext.BaseDirectory, "spa-latency.mjs");
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { script, frontend, ctx.ApiUrl, BenchContext.AdminEmail, ctx.AdminPassword }.Concat(runs.Select(r => r.ToString())))
            start.ArgumentList.Add(a);
        using var node = Process.Start(start)!;
        var stderr = node.StandardError.ReadToEndAsync();
        var fromRequest = new List<double>();
        var fromAnswer = new List<double>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30 + 15 * runs.Count));
        try
        {
            double sent = 0, answered = 0;
            while (await node.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                var parts = line.Split(' ');
                if (parts[0] == "READY")
                {
                    sent = EpochMs();
                    await api.PostJson($"/api/v1/deployment-runs/{parts[1]}/cancel", new { reason = "bench" });
                    answered = EpochMs();
                }
                else if (parts[0] == "SEEN")
                {
                    var seen = double.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture);
                    fromRequest.Add(seen - sent);
                    fromAnswer.Add(seen - answered);
                    await node.StandardInput.WriteLineAsync("next");
                    await node.StandardInput.FlushAsync();
                    if (fromRequest.Count == runs.Count) node.StandardInput.Close();
                }
            }
            await node.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            if (!node.HasExited) node.Kill(entireProcessTree: true);
        }
        if (node.ExitCode != 0 || fromRequest.Count != runs.Count)
            throw new InvalidOperationException($"The browser measurement failed (exit {node.ExitCode}, {fromRequest.Count}/{runs.Count} samples): {await stderr}");
        return new SpaLatency(fromRequest.Count, Percentiles.Of(fromRequest), Percentiles.Of(fromAnswer));
    }

    private static double EpochMs() => (DateTime.UtcNow - DateTime.UnixEpoch).TotalMilliseconds;

    private static async Task Exec(string file, string[] args, string dir)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = dir, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed: {await output}{await error}");
    }

    [GeneratedRegex("(?:src|href)=\"(/assets/[^\"]+\\.js)\"")]
    private static partial Regex AssetReference();
}
