namespace Amnify.Harness.Reporting;

/// <summary>What every verb ends with: its reports in backend/harness/results/&lt;verb&gt;/ and the line CI counts.</summary>
public static class ReportFile
{
    public static string Folder(string repo, string verb) => Path.Combine(repo, "backend/harness/results", verb);

    /// <summary>Writes <paramref name="text"/> to results/&lt;verb&gt;/&lt;name&gt;; answers the path.</summary>
    public static async Task<string> Write(string repo, string verb, string name, string text)
    {
        var path = Path.Combine(Folder(repo, verb), name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, text);
        return path;
    }

    /// <summary>Prints `N passed, M failed` (.ci/suites.sh reads that line) and answers the exit code.</summary>
    public static int Verdict(int passed, int failed)
    {
        Console.WriteLine($"{passed} passed, {failed} failed");
        return failed == 0 ? 0 : 1;
    }
}
