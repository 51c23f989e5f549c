using System.Diagnostics;

namespace Amnify.Harness.Infra;

/// <summary>
/// The stand-in Terraform CLI of the engine-capacity benchmark (Bench/Stub/terraform-stub.c), compiled by the harness
/// with the system's C compiler into the run's folder: the engine runs it as Engine__Terraform.
/// </summary>
public static class StubTerraform
{
    public static async Task<string> Build(string repo, string folder)
    {
        var source = Path.Combine(repo, "backend/harness/Amnify.Harness/Bench/Stub/terraform-stub.c");
        Directory.CreateDirectory(folder);
        var binary = Path.Combine(folder, "terraform");
        var start = new ProcessStartInfo("cc") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { "-O2", "-o", binary, source }) start.ArgumentList.Add(a);
        using var cc = Process.Start(start) ?? throw new InvalidOperationException("cc did not start");
        var errors = await cc.StandardError.ReadToEndAsync();
        await cc.WaitForExitAsync();
        if (cc.ExitCode != 0) throw new InvalidOperationException($"Compiling the stub terraform failed: {errors}");
        return binary;
    }
}
