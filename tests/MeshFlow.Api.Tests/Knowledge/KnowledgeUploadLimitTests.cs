using System.Net;
using System.Text;
using MeshFlow.Api.Knowledge;
using MeshFlow.Api.Security;
using MeshFlow.Api.Tests.Support;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;

namespace MeshFlow.Api.Tests.Knowledge;

/// <summary>Uploads past the page and text caps answer 413 naming the file, and the caps stop extraction early.</summary>
public sealed class KnowledgeUploadLimitTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task A_pdf_with_more_pages_than_the_cap_answers_413_naming_the_file()
    {
        using var client = factory.CreateAuthenticatedClient(ApiFactory.AcmeUserKey);

        using var response = await client.PostFilesAsync(KnowledgeClient.NewName("pages"), ("long.pdf", "application/pdf", Pdf(PdfText.MaxPages + 1, "Page text.")));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var (path, detail) = await response.ProblemAsync();
        Assert.Equal("files", path);
        Assert.Contains("'long.pdf'", detail, StringComparison.Ordinal);
        Assert.Contains($"{PdfText.MaxPages + 1} pages", detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Pdf_extraction_stops_once_the_text_passes_the_cap()
    {
        var (text, limit) = PdfText.Extract(Pdf(3, new string('a', 80)), maxCharacters: 100);

        Assert.Null(text);
        Assert.Equal("holds more than 100 characters of text", limit);
        Assert.Equal(new string('a', 80), PdfText.Extract(Pdf(1, new string('a', 80)), maxCharacters: 100).Text);
    }

    [Fact]
    public async Task Files_holding_more_text_together_than_a_request_may_answer_413_naming_the_file_that_passes_it()
    {
        using var api = factory.WithSettings(new Dictionary<string, string?> { [ApiSecurityConfiguration.MaxRequestBytes] = "8000000" });
        using var client = api.CreateAuthenticatedClient(ApiFactory.AcmeUserKey);
        var part = Encoding.UTF8.GetBytes(new string('x', KnowledgeUploadReader.MaxFileCharacters));

        using var response = await client.PostFilesAsync(KnowledgeClient.NewName("chars"),
            ("one.txt", "text/plain", part), ("two.txt", "text/plain", part), ("three.txt", "text/plain", part));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var (_, detail) = await response.ProblemAsync();
        Assert.StartsWith("file 'three.txt' holds more text than this request has room for", detail, StringComparison.Ordinal);
    }

    private static byte[] Pdf(int pages, string text)
    {
        using var builder = new PdfDocumentBuilder();
        var font = builder.AddStandard14Font(Standard14Font.Helvetica);
        for (var i = 0; i < pages; i++)
        {
            builder.AddPage(PageSize.A4).AddText(text, 4, new PdfPoint(10, 760), font);
        }

        return builder.Build();
    }
}
