using Amnify.Api.Features.Templates;

namespace Amnify.UnitTests.Templates;

public sealed class TemplateSourceTests
{
    [Theory]
    [InlineData("https://deploy:s3cret@git.example.com/t.git", "https://deploy:***@git.example.com/t.git")]
    [InlineData("https://ghp_token123@github.com/o/t.git", "https://***@github.com/o/t.git")]
    [InlineData("https://me:p@ss@host/t.git", "https://me:***@host/t.git")]
    [InlineData("fatal: unable to access 'http://u:pw@127.0.0.1:1/t.git/': refused", "fatal: unable to access 'http://u:***@127.0.0.1:1/t.git/': refused")]
    [InlineData("ssh://git@host/t.git", "ssh://git@host/t.git")]
    [InlineData("https://host/t.git", "https://host/t.git")]
    public void Credentials_in_a_url_are_masked_and_nothing_else_is(string text, string shown)
    {
        TemplateSource.Mask(text).Should().Be(shown);
    }

    [Theory]
    [InlineData("https://host/t.git", "https")]
    [InlineData("HTTP://host/t.git", "http")]
    [InlineData("git@github.com:o/t.git", "ssh")]
    [InlineData("host:t.git", "ssh")]
    [InlineData("ssh://git@host/t.git", "ssh")]
    [InlineData("file:///srv/t.git", "file")]
    [InlineData("/srv/templates.git", "file")]
    [InlineData("./templates.git", "file")]
    [InlineData("ext::sh -c touch% /tmp/x", "ext")]
    [InlineData("git://host/t.git", "git")]
    public void The_transport_is_read_the_way_git_reads_it(string source, string protocol)
    {
        TemplateSource.GitProtocol(source).Should().Be(protocol);
    }
}
