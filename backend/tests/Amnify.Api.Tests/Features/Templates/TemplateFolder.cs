using System.Diagnostics;
using System.Text.Json;

namespace Amnify.Api.Tests.Features.Templates;

/// <summary>A template source laid out as templates/&lt;provider&gt;/&lt;dir&gt;/ in a temp folder, optionally a git repository.</summary>
public sealed class TemplateFolder : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("amnify-templates-").FullName;

    public string Add(string provider, string dir, object manifest, string tf)
    {
        var path = Path.Combine(Root, "templates", provider, dir);
        Directory.CreateDirectory(path);
        File.WriteAllText(Path.Combine(path, "template.json"), manifest as string ?? JsonSerializer.Serialize(manifest));
        File.WriteAllText(Path.Combine(path, "main.tf"), tf);
        return path;
    }

    /// <summary>A valid template with one variable per entry of <paramref name="variables"/>.</summary>
    public string AddValid(string provider, string id, params object[] variables) =>
        Add(provider, id, new
        {
            id, name = $"Template {id}", description = "test template", category = "infrastructure",
            cloud_provider = provider, iac_type = "terraform", variables,
        }, string.Concat(variables.Select(v => $"variable \"{JsonSerializer.SerializeToElement(v).GetProperty("name").GetString()}\" {{}}\n"))
           + "resource \"terraform_data\" \"x\" {}\n");

    public void Remove(string provider, string dir) => Directory.Delete(Path.Combine(Root, "templates", provider, dir), recursive: true);

    /// <summary>Commits the folder as a git repository on branch main; answers its file:// URL.</summary>
    public string CommitAsGitRepository()
    {
        Git("init", "--quiet", "--initial-branch=main");
        Git("add", "-A");
        Git("-c", "user.email=test@amnify.test", "-c", "user.name=test", "commit", "--quiet", "-m", "templates");
        return new Uri(Root).AbsoluteUri;
    }

    private void Git(params string[] args)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = Root, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException(process.StandardError.ReadToEnd());
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
