using System.Diagnostics;
using System.Runtime.InteropServices;
using Npgsql;

namespace Amnify.Harness.Reporting;

public static class MachineInfo
{
    public static async Task<Machine> Read()
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?"
            : "?";
        var memKb = File.Exists("/proc/meminfo")
            ? long.Parse(File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1])
            : 0;
        return new Machine(Environment.ProcessorCount, memKb / 1024.0 / 1024.0, cpu, RuntimeInformation.OSDescription,
            RuntimeInformation.FrameworkDescription.Replace(".NET ", ""), await FirstLine("terraform", "version"), "?");
    }

    /// <summary>The 1, 5 and 15 minute load averages (the machine is shared: a busy neighbour shows here).</summary>
    public static string? LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : null;

    public static async Task<string> PostgresVersion(NpgsqlDataSource db)
    {
        await using var command = db.CreateCommand("SHOW server_version");
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<string> FirstLine(string file, string args)
    {
        try
        {
            var start = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.Environment["CHECKPOINT_DISABLE"] = "1";
            using var process = Process.Start(start)!;
            var output = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            return output.Split('\n')[0].Trim();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "?";
        }
    }
}
