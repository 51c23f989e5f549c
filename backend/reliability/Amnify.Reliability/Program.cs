using System.Runtime.InteropServices;
using Amnify.Reliability;
using Amnify.Reliability.Chaos;
using Amnify.Reliability.Load;

// The reliability harnesses of Amnify Deploy, against real processes:
//   chaos [--smoke] [--trials N] [--parallel N] [--seed N]        faults injected while pipelines run (make chaos / chaos-smoke)
//   load  [--smoke] [--seconds N] [--clients N]                   concurrent clients against the API (make load)
// Both take --repo <repository root> and --api <path of the published Amnify.Api.dll>.
if (args.Length == 0 || args[0] is not ("chaos" or "load"))
{
    Console.Error.WriteLine("usage: Amnify.Reliability chaos|load --repo DIR --api Amnify.Api.dll [--smoke] [--trials N] [--parallel N] [--seed N] [--seconds N] [--clients N]");
    return 2;
}

string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
int IntOption(string name, int fallback) => Option(name) is { } v ? int.Parse(v) : fallback;
var smoke = args.Contains("--smoke");
var settings = new Settings(
    Path.GetFullPath(Option("--repo") ?? Directory.GetCurrentDirectory()),
    Path.GetFullPath(Option("--api") ?? "/tmp/amnify-rel-api/Amnify.Api.dll"));
if (!File.Exists(settings.ApiDll))
{
    Console.Error.WriteLine($"The API binary {settings.ApiDll} is missing: dotnet publish backend/src/Amnify.Api -c Release -o {Path.GetDirectoryName(settings.ApiDll)}");
    return 2;
}

// Ctrl-C or SIGTERM: stop starting work, then stop every process started here (the finally blocks do).
using var cancel = new CancellationTokenSource();
void OnSignal(PosixSignalContext context)
{
    context.Cancel = true;
    Console.Error.WriteLine("Stopping: the processes started by the harness are being stopped…");
    cancel.Cancel();
}
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);

return args[0] == "chaos"
    ? await new ChaosRun(settings, new ChaosOptions(
        Trials: IntOption("--trials", smoke ? 4 : 50),
        Parallel: IntOption("--parallel", smoke ? 4 : 3),
        Seed: IntOption("--seed", Environment.TickCount & 0xFFFF),
        Smoke: smoke,
        LeaseSeconds: IntOption("--lease", 6))).Execute(cancel.Token)
    : await new LoadRun(settings, new LoadOptions(
        Seconds: IntOption("--seconds", smoke ? 5 : 60),
        Clients: IntOption("--clients", smoke ? 20 : 200),
        Pipelines: IntOption("--pipelines", smoke ? 6 : 24),
        Smoke: smoke)).Execute(cancel.Token);

namespace Amnify.Reliability
{
    /// <summary>Where the repository and the published API are.</summary>
    public sealed record Settings(string Repo, string ApiDll);
}
