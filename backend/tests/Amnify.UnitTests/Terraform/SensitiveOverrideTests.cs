using Amnify.Api.Terraform;

namespace Amnify.UnitTests.Terraform;

public sealed class SensitiveOverrideTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("amnify-override-").FullName;

    private string Override => File.ReadAllText(Path.Combine(dir, SensitiveOverride.FileName));

    [Fact]
    public void Each_sensitive_variable_gets_an_override_block()
    {
        SensitiveOverride.Write(dir, ["admin_password", "creds"]);

        Override.Should().Be("variable \"admin_password\" {\n  sensitive = true\n}\nvariable \"creds\" {\n  sensitive = true\n}\n");
    }

    [Fact]
    public void No_sensitive_variable_writes_no_file()
    {
        SensitiveOverride.Write(dir, []);

        File.Exists(Path.Combine(dir, SensitiveOverride.FileName)).Should().BeFalse();
    }

    [Fact]
    public void Outputs_terraform_refused_are_marked_once_and_other_errors_are_not_retried()
    {
        SensitiveOverride.Write(dir, ["pw"]);
        string[] plan =
        [
            "╷", "│ Error: Output refers to sensitive values", "│ ", "│   on main.tf line 7:", "│    7: output \"leak\" {", "│ ",
            "Error: Output refers to sensitive values", "", "  on outputs.tf line 2:", "   2: output \"pin_out\" { value = var.pin }",
            "Error: Unsupported argument", "", "  on main.tf line 9:", "   9: output \"other\" {",
        ];

        SensitiveOverride.MarkRefusedOutputs(dir, plan).Should().Equal("leak", "pin_out");
        SensitiveOverride.MarkRefusedOutputs(dir, plan).Should().BeEmpty("planning again would change nothing");
        SensitiveOverride.MarkRefusedOutputs(dir, ["Error: Unsupported argument", "   9: output \"other\" {"]).Should().BeEmpty();
        Override.Should().EndWith("output \"leak\" {\n  sensitive = true\n}\noutput \"pin_out\" {\n  sensitive = true\n}\n");
    }

    public void Dispose() => Directory.Delete(dir, recursive: true);
}
