using Amnify.Api.Http;

namespace Amnify.UnitTests.Http;

public sealed class FieldPathTests
{
    [Theory]
    [InlineData("Name", "name")]
    [InlineData("StepIds[2]", "stepIds[2]")]
    [InlineData("Credentials[AWS_SECRET_KEY]", "credentials.AWS_SECRET_KEY")]
    [InlineData("Variables.Subnets[0].Cidr", "variables.subnets[0].cidr")]
    [InlineData("credentials.1BAD", "credentials.1BAD")]
    [InlineData("", "body")]
    public void Validation_property_names_become_the_camelCase_paths_the_SPA_uses(string property, string path)
    {
        ProblemExceptionHandler.FieldPath(property).Should().Be(path);
    }
}
