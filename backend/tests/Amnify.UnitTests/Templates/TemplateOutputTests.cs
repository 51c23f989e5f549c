using Amnify.Api.Features.Templates;

namespace Amnify.UnitTests.Templates;

public sealed class TemplateOutputTests
{
    [Fact]
    public void Output_blocks_are_read_with_their_own_description_and_sensitivity_only()
    {
        var outputs = TemplateOutput.Parse([
            """
            output "url" {
              description = "Where it \"lives\""
              value       = var.public ? "https://${var.name}.example.test" : null
            }

            output "secret" {
              value     = "x"
              sensitive = true
              precondition {
                condition     = true
                error_message = "never"
              }
            }
            """,
            """
            output "plain" {
              value = { description = "a map key, not the output's" }
              sensitive = false
            }
            """,
        ]);

        outputs.Should().Equal(
            new TemplateOutput { Name = "plain", Description = null, Sensitive = false },
            new TemplateOutput { Name = "secret", Description = null, Sensitive = true },
            new TemplateOutput { Name = "url", Description = "Where it \"lives\"", Sensitive = false });
    }
}
