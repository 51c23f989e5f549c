using Amnify.Api.Http;

namespace Amnify.UnitTests.Http;

public sealed class CursorTests
{
    [Fact]
    public void A_cursor_reads_back_as_the_position_it_was_made_from()
    {
        var cursor = new Cursor("név with ünïcode", Guid.CreateVersion7().ToString());

        Cursor.Decode(cursor.Encode()).Should().Be(cursor);
    }

    [Theory]
    [InlineData("not base64 !")]
    [InlineData("bm90IGpzb24")] // base64url of "not json"
    [InlineData("e30")] // {}: valid JSON, but no position
    public void Text_the_server_did_not_make_is_not_a_cursor(string text)
    {
        Cursor.IsValid(text).Should().BeFalse();
    }

    [Fact]
    public void A_page_has_a_next_cursor_only_when_more_rows_exist()
    {
        var rows = Enumerable.Range(0, 3).Select(i => (Key: $"k{i}", Id: Guid.CreateVersion7().ToString())).ToList();

        var full = Cursor.Paginate(rows, 2, r => new Cursor(r.Key, r.Id));
        full.Items.Should().HaveCount(2);
        Cursor.Decode(full.NextCursor).Should().Be(new Cursor("k1", rows[1].Id));

        Cursor.Paginate(rows.Take(2).ToList(), 2, r => new Cursor(r.Key, r.Id)).NextCursor.Should().BeNull();
    }
}
