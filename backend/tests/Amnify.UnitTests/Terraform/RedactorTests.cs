using System.Text.Json;
using Amnify.Api.Terraform;

namespace Amnify.UnitTests.Terraform;

public sealed class RedactorTests
{
    private const string M = Redactor.Mask;

    [Theory]
    [InlineData("""input = { pw = "q\"uo\\te" }""")] // how Terraform prints it in a plan
    [InlineData("""{"pw":"q\"uo\\te"}""")] // JSON
    [InlineData("""{"pw":"q\u0022uo\\te"}""")] // .NET's default JSON encoder
    public void A_secret_with_quotes_and_backslashes_is_masked_escaped_too(string text)
    {
        var redactor = new Redactor(["""q"uo\te"""]);

        redactor.Redact(text).Should().NotContain("uo").And.Contain(M);
    }

    [Fact]
    public void Every_escaped_form_of_a_string_is_masked()
    {
        var secret = "a+b<c>&d\te\u2028f${g}";
        var redactor = new Redactor([secret]);

        redactor.Redact("""s = "a+b<c>&d\te\u2028f${g}" """).Should().Be($"s = \"{M}\" "); // plan
        redactor.Redact("""{"s":"a+b\u003cc\u003e\u0026d\te\u2028f${g}"}""").Should().Be($"{{\"s\":\"{M}\"}}"); // terraform output -json
        redactor.Redact(JsonSerializer.Serialize(secret)).Should().Be($"\"{M}\""); // .NET
        redactor.Redact("""s = "a+b<c>&d\te\u2028f$${g}" """).Should().Be($"s = \"{M}\" "); // HCL source
    }

    [Fact]
    public void A_json_string_quoted_again_is_masked()
    {
        var redactor = new Redactor(["""q"uo\te"""]);

        redactor.Redact("""Executing: ["/bin/sh" "-c" "echo '\"q\\\"uo\\\\te\"'"]""").Should().Be($"""Executing: ["/bin/sh" "-c" "echo '\"{M}\"'"]""");
    }

    [Fact]
    public void Control_characters_are_matched_as_terraform_quotes_them()
    {
        var redactor = new Redactor(["a\u0001b\u0007c\bd\fe\vf"]);

        redactor.Redact("""s = "a\x01b\ac\bd\fe\vf" """).Should().Be($"s = \"{M}\" ");
        redactor.Redact("""{"s":"a\u0001b\u0007c\bd\fe\u000bf"}""").Should().Be($"{{\"s\":\"{M}\"}}");
    }

    [Fact]
    public void Each_line_of_a_multi_line_secret_is_masked_on_its_own()
    {
        var pem = "-----BEGIN PRIVATE KEY-----\r\nMIIEvQIBADANBgkqhkiG9w0BAQEF\r\n  AASCBKcwggSjAgEAAoIBAQC7  \r\nab\r\n-----END PRIVATE KEY-----\r\n";
        var redactor = new Redactor([pem]);

        redactor.Redact("          MIIEvQIBADANBgkqhkiG9w0BAQEF").Should().Be($"          {M}");
        redactor.Redact("    AASCBKcwggSjAgEAAoIBAQC7").Should().Be($"    {M}");
        redactor.Redact("-----END PRIVATE KEY-----").Should().Be(M);
        redactor.Redact("ab cd").Should().Be("ab cd", "lines under four characters are everywhere");
        redactor.Redact($"k = {JsonSerializer.Serialize(pem)}").Should().Be($"k = \"{M}\"");
    }

    [Fact]
    public void The_leaves_of_an_object_are_secrets_and_booleans_are_not()
    {
        using var value = JsonDocument.Parse("""{"user":"u-admin","key":"k-1234","port":54321,"list":["l-one",7],"tls":true,"none":null}""");

        Redactor.SecretsIn(value.RootElement).Should().BeEquivalentTo(["u-admin", "k-1234", "54321", "l-one", "7"]);
        var redactor = new Redactor(Redactor.SecretsIn(value.RootElement));
        redactor.Redact("""user = "u-admin", port = 54321, tls = true, n = 7""").Should().Be($"user = \"{M}\", port = {M}, tls = true, n = 7");
    }

    [Fact]
    public void A_number_is_also_masked_as_terraform_prints_it()
    {
        using var value = JsonDocument.Parse("[1.50e3]");

        new Redactor(Redactor.SecretsIn(value.RootElement)).Redact("n = 1500").Should().Be($"n = {M}");
    }

    [Fact]
    public void Overlapping_secrets_leave_no_fragment_of_either()
    {
        var redactor = new Redactor(["abcdef", "defghi"]);

        redactor.Redact("x abcdefghi y").Should().Be($"x {M} y");
        redactor.Redact("aaaa").Should().Be("aaaa");
        new Redactor(["aaa"]).Redact("baaaab").Should().Be($"b{M}b");
    }

    [Fact]
    public void Plan_addresses_are_redacted()
    {
        var redactor = new Redactor(["tok-123"]);
        var summary = new PlanSummary(1, 0, 0, 0, [new PlannedResource("terraform_data.k[\"tok-123\"]", "create")]);

        redactor.Redact(summary).Resources.Single().Should().Be(new PlannedResource($"terraform_data.k[\"{M}\"]", "create"));
    }
}
