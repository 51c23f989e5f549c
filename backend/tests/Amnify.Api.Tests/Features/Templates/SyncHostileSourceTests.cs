using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using Amnify.Api.Features.Templates;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace Amnify.Api.Tests.Features.Templates;

/// <summary>A template source written by an attacker: links out of it, special files, binary files, hostile git URLs.</summary>
[Collection(nameof(TemplatesCollection))]
public sealed class SyncHostileSourceTests(ApiFactory api) : IDisposable
{
    private readonly TemplateFolder folder = new();
    private readonly DirectoryInfo outside = Directory.CreateTempSubdirectory("amnify-outside-");
    private readonly string secret = $"server-secret-{Guid.NewGuid():N}";

    private HttpClient ClientFor(string source, params (string Key, string Value)[] settings) =>
        api.WithWebHostBuilder(b =>
        {
            b.UseSetting("Templates:Source", source);
            foreach (var (key, value) in settings) b.UseSetting(key, value);
        }).CreateClient();

    private static async Task<TemplateSyncResult> Sync(HttpClient client)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60)); // a FIFO once hung the sync forever
        var response = await client.PostAsync("/api/v1/templates/sync", null, timeout.Token);
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.Read<TemplateSyncResult>();
    }

    private static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..20];

    private string SecretFileOutside()
    {
        var path = Path.Combine(outside.FullName, "secret.key");
        File.WriteAllText(path, $"variable \"x\" {{ default = \"{secret}\" }}\n");
        return path;
    }

    private static string[] ReasonsFor(TemplateSyncResult result, string path) =>
        result.Rejected.Should().ContainSingle(r => r.Path == path).Subject.Reasons;

    [Fact]
    public async Task A_link_to_a_file_outside_the_source_rejects_its_template_and_nothing_of_the_file_is_stored()
    {
        var id = NewId("leak");
        var dir = folder.AddValid("aws", id);
        File.CreateSymbolicLink(Path.Combine(dir, "key.tf"), SecretFileOutside());
        var valid = NewId("ok");
        folder.AddValid("aws", valid);

        var response = await ClientFor(folder.Root).PostEmpty("/api/v1/templates/sync");
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var result = await response.Read<TemplateSyncResult>();

        ReasonsFor(result, $"templates/aws/{id}").Should().ContainSingle(r => r.StartsWith("key.tf: links outside the template source"));
        result.Imported.Should().Contain(valid).And.NotContain(id);
        body.Should().NotContain(secret);
        (await api.DatabaseContains(secret)).Should().BeFalse();
    }

    [Fact]
    public async Task A_link_to_a_folder_outside_the_source_is_not_followed_for_a_template_or_a_provider()
    {
        var stolen = NewId("stolen");
        var elsewhere = new TemplateFolder();
        try
        {
            var target = elsewhere.AddValid("aws", stolen);
            File.WriteAllText(Path.Combine(target, "extra.tf"), $"# {secret}\n");
            Directory.CreateDirectory(Path.Combine(folder.Root, "templates", "aws"));
            Directory.CreateSymbolicLink(Path.Combine(folder.Root, "templates", "aws", "stolen"), target);
            Directory.CreateSymbolicLink(Path.Combine(folder.Root, "templates", "gcp"), Path.Combine(elsewhere.Root, "templates", "aws"));

            var result = await Sync(ClientFor(folder.Root));

            ReasonsFor(result, "templates/aws/stolen").Should().ContainSingle(r => r.StartsWith("links outside the template source"));
            ReasonsFor(result, "templates/gcp").Should().ContainSingle(r => r.StartsWith("links outside the template source"));
            result.Imported.Should().NotContain(stolen);
            (await api.DatabaseContains(secret)).Should().BeFalse();
        }
        finally
        {
            elsewhere.Dispose();
        }
    }

    [Fact]
    public async Task Links_that_stay_inside_the_source_are_followed()
    {
        var shared = Path.Combine(folder.Root, "shared");
        Directory.CreateDirectory(shared);
        File.WriteAllText(Path.Combine(shared, "outputs.tf"), "output \"shared\" { value = \"yes\" }\n");
        var linkedFile = NewId("lfile");
        File.CreateSymbolicLink(Path.Combine(folder.AddValid("azure", linkedFile), "outputs.tf"), "../../../shared/outputs.tf");
        // A template folder kept outside templates/ but inside the source root, linked into place.
        var linkedFolder = NewId("ldir");
        var original = folder.AddValid("azure", linkedFolder);
        var kept = Path.Combine(folder.Root, "library", linkedFolder);
        Directory.CreateDirectory(Path.GetDirectoryName(kept)!);
        Directory.Move(original, kept);
        Directory.CreateSymbolicLink(original, kept);

        var result = await Sync(ClientFor(folder.Root));

        result.Rejected.Should().BeEmpty();
        result.Imported.Should().Contain([linkedFile, linkedFolder]);
        var template = await (await api.CreateClient().GetAsync($"/api/v1/templates/{linkedFile}")).Read<Template>();
        template.Files.Should().Contain("outputs.tf");
    }

    [Fact]
    public async Task A_fifo_is_refused_without_being_opened_so_the_sync_finishes()
    {
        var id = NewId("fifo");
        var fifo = Path.Combine(folder.AddValid("gcp", id), "pipe.tf");
        using (var mkfifo = Process.Start("mkfifo", [fifo])) await mkfifo.WaitForExitAsync();
        File.Exists(fifo).Should().BeTrue();

        var result = await Sync(ClientFor(folder.Root));

        ReasonsFor(result, $"templates/gcp/{id}").Should().ContainSingle(r => r.StartsWith("pipe.tf: is a FIFO, device or socket"));
    }

    [Fact]
    public async Task A_file_with_a_nul_byte_or_not_utf8_rejects_only_its_template_with_the_reason()
    {
        var nul = NewId("nul");
        File.WriteAllBytes(Path.Combine(folder.AddValid("aws", nul), "main.tf"), [.. "resource \"terraform_data\" \"x\" {}\n"u8, 0, .. "x"u8]);
        var latin1 = NewId("latin");
        File.WriteAllBytes(Path.Combine(folder.AddValid("aws", latin1), "notes.tf"), Encoding.Latin1.GetBytes("# café résumé\n"));
        var escaped = NewId("esc");
        folder.Add("aws", escaped, $$"""
            {"id":"{{escaped}}","name":"Escaped","description":"a\u0000b","category":"infrastructure","cloud_provider":"aws","iac_type":"terraform"}
            """, "resource \"terraform_data\" \"x\" {}\n");
        var valid = NewId("fine");
        folder.AddValid("aws", valid);

        var result = await Sync(ClientFor(folder.Root));

        ReasonsFor(result, $"templates/aws/{nul}").Should().ContainSingle(r => r.StartsWith("main.tf: holds a NUL byte"));
        ReasonsFor(result, $"templates/aws/{latin1}").Should().ContainSingle(r => r.StartsWith("notes.tf: is not UTF-8 text"));
        ReasonsFor(result, $"templates/aws/{escaped}").Should().ContainSingle(r => r.StartsWith("description: holds a NUL character"));
        result.Imported.Should().Contain(valid).And.NotContain([nul, latin1, escaped]);
    }

    [Fact]
    public async Task A_file_over_the_size_limit_is_refused_and_the_limit_is_configurable()
    {
        var big = NewId("big");
        File.WriteAllText(Path.Combine(folder.AddValid("aws", big), "data.tf"), "#" + new string('x', (int)TemplateSource.DefaultMaxFileBytes));
        var small = NewId("small");
        File.WriteAllText(Path.Combine(folder.AddValid("aws", small), "notes.tf"), "#" + new string('y', 2000));

        var byDefault = await Sync(ClientFor(folder.Root));
        var limited = await Sync(ClientFor(folder.Root, ("Templates:MaxFileBytes", "1000")));

        ReasonsFor(byDefault, $"templates/aws/{big}").Should().ContainSingle(r => r.StartsWith("data.tf: is") && r.Contains("at most 1048576 bytes"));
        byDefault.Imported.Concat(byDefault.Updated).Concat(byDefault.Unchanged).Should().Contain(small);
        ReasonsFor(limited, $"templates/aws/{small}").Should().ContainSingle(r => r.StartsWith("notes.tf: is") && r.Contains("at most 1000 bytes"));
    }

    [Fact]
    public async Task Local_git_transports_and_ext_are_refused_unless_configured()
    {
        var id = NewId("local");
        folder.AddValid("azure", id);
        var url = folder.CommitAsGitRepository();
        var marker = Path.Combine(outside.FullName, "ext-ran");

        foreach (var source in new[] { url, folder.Root + "/.git", $"ext::sh -c touch% {marker}" })
        {
            var refused = await ClientFor(source).PostEmpty("/api/v1/templates/sync");
            refused.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity, source);
            (await refused.ReadProblem()).Detail.Should().Contain("is not allowed").And.Contain("Templates__AllowedGitProtocols");
        }
        File.Exists(marker).Should().BeFalse();
    }

    [Fact]
    public async Task Git_sees_none_of_the_servers_environment_even_through_an_allowed_transport_helper()
    {
        const string canary = "AMNIFY_TEST_CANARY";
        Environment.SetEnvironmentVariable(canary, secret);
        try
        {
            var dump = Path.Combine(outside.FullName, "git-env");
            var response = await ClientFor($"ext::sh -c env% >{dump}", ("Templates:AllowedGitProtocols", "ext"),
                ("Templates:CacheDir", Path.Combine(outside.FullName, "cache"))).PostEmpty("/api/v1/templates/sync");

            response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity, "the command speaks no git, so the pull fails");
            var seen = File.ReadAllText(dump);
            seen.Should().Contain("GIT_TERMINAL_PROMPT=0").And.NotContain(canary).And.NotContain(secret);
        }
        finally
        {
            Environment.SetEnvironmentVariable(canary, null);
        }
    }

    [Fact]
    public async Task A_git_password_is_masked_in_the_answer_and_the_log()
    {
        const string password = "hunter2-Sup3r-s3cret";
        var url = $"http://deploy:{password}@127.0.0.1:1/templates.git"; // nothing listens on port 1
        var logs = new CapturedLogs();
        var factory = api.WithWebHostBuilder(b =>
        {
            b.UseSetting("Templates:Source", url);
            b.UseSetting("Templates:SyncOnStart", "true");
            b.UseSetting("Templates:CacheDir", Path.Combine(outside.FullName, "cache"));
            b.ConfigureLogging(l => l.AddProvider(logs));
        });

        var response = await factory.CreateClient().PostEmpty("/api/v1/templates/sync");

        response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        var body = await response.Content.ReadAsStringAsync();
        body.Should().Contain("deploy:***@127.0.0.1").And.NotContain(password);
        logs.Messages.Should().Contain(m => m.Contains("Template sync on start failed"));
        logs.Messages.Should().NotContain(m => m.Contains(password));
        Directory.EnumerateFiles(Path.Combine(outside.FullName, "cache"), "*", SearchOption.AllDirectories)
            .Should().NotContain(f => File.ReadAllText(f).Contains(password), "the password is never written to the cache's git config");
    }

    private sealed class CapturedLogs : ILoggerProvider
    {
        public ConcurrentQueue<string> Messages { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(Messages);

        public void Dispose() { }

        private sealed class Logger(ConcurrentQueue<string> messages) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                messages.Enqueue($"{formatter(state, exception)} {exception}");
        }
    }

    public void Dispose()
    {
        folder.Dispose();
        outside.Delete(recursive: true);
    }
}
