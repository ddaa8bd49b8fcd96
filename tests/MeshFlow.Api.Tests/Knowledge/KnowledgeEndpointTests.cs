using System.Net;
using System.Text;
using MeshFlow.Api.Tests.Support;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;

namespace MeshFlow.Api.Tests.Knowledge;

/// <summary><c>/knowledge</c> over real HTTP: documents as JSON and as files, search, delete, tenants and every refusal.</summary>
public sealed class KnowledgeEndpointTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private static readonly (string, string, string)[] Policies =
    [
        ("leave", "leave.md", "Annual leave. Every employee receives twenty-five days of paid holiday per calendar year."),
        ("travel", "travel.md", "Business trips. Flights under six hours are booked in economy class through the travel agency."),
        ("security", "security.md", "Account security. Passwords are at least fourteen characters long and never reused."),
    ];

    [Fact]
    public async Task Json_documents_are_ingested_with_their_chunk_counts_and_found_by_search()
    {
        using var client = factory.CreateAuthenticatedClient(ApiFactory.AcmeUserKey);
        var name = KnowledgeClient.NewName("json");

        using var created = await client.PostDocumentsAsync(name, Policies);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.ReadJsonAsync();
        Assert.Equal(name, body.GetProperty("knowledge_base").GetString());
        var documents = body.GetProperty("documents").EnumerateArray().ToList();
        Assert.Equal(["leave", "travel", "security"], documents.Select(d => d.GetProperty("id").GetString()));
        Assert.All(documents, d => Assert.Equal(1, d.GetProperty("chunks").GetInt32()));

        var chunks = await client.SearchAsync(name, "economy class flights", topK: 2, mode: "keyword");
        var best = chunks[0];
        Assert.Equal("travel", best.GetProperty("document_id").GetString());
        Assert.Equal("travel.md", best.GetProperty("source").GetString());
        Assert.Equal(0, best.GetProperty("position").GetInt32());
        Assert.True(best.GetProperty("score").GetDouble() > 0);
        Assert.Contains("economy class", best.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.NotEmpty(best.GetProperty("chunk_id").GetString()!);

        using var list = await client.GetWithTimeoutAsync("/knowledge");
        Assert.Contains(name, (await list.ReadJsonAsync()).GetProperty("knowledge_bases").EnumerateArray().Select(n => n.GetString()));
    }

    [Fact]
    public async Task Markdown_html_and_pdf_files_are_read_to_their_text()
    {
        using var client = factory.CreateAuthenticatedClient(ApiFactory.AcmeUserKey);
        var name = KnowledgeClient.NewName("files");
        const string Html = """
            <html><head><title>Remote work</title><style>body { color: red }</style><script>var tracking = "pixel-secret-42";</script></head>
            <body><nav>Home | About | Careers</nav><header>Acme intranet</header>
            <h1>Working from home</h1><p>Staff may work remotely up to three days a week.</p><p>The office lends a monitor.</p>
            <footer>Copyright Acme</footer><script>document.write("injected-banner")</script></body></html>
            """;

        using var created = await client.PostFilesAsync(name,
            ("expenses.md", "text/markdown", Encoding.UTF8.GetBytes("# Expenses\n\nReceipts are **submitted** in the finance portal within thirty days.")),
            ("remote.html", "text/html", Encoding.UTF8.GetBytes(Html)),
            ("parental.pdf", "application/pdf", Pdf("Parental leave. Birth parents receive sixteen weeks of fully paid leave.")),
            ("notes.txt", null, Encoding.UTF8.GetBytes("Laptops are replaced every four years.")));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var ids = (await created.ReadJsonAsync()).GetProperty("documents").EnumerateArray().Select(d => d.GetProperty("id").GetString());
        Assert.Equal(["expenses.md", "remote.html", "parental.pdf", "notes.txt"], ids);

        var pdf = (await client.SearchAsync(name, "sixteen weeks parental leave", topK: 1, mode: "keyword"))[0];
        Assert.Equal("parental.pdf", pdf.GetProperty("document_id").GetString());
        Assert.Contains("Birth parents receive sixteen weeks of fully paid leave.", pdf.GetProperty("text").GetString(), StringComparison.Ordinal);

        var markdown = (await client.SearchAsync(name, "receipts finance portal", topK: 1, mode: "keyword"))[0];
        Assert.Contains("# Expenses", markdown.GetProperty("text").GetString(), StringComparison.Ordinal);

        var html = (await client.SearchAsync(name, "work remotely three days", topK: 1, mode: "keyword"))[0].GetProperty("text").GetString()!;
        Assert.Contains("Working from home\n\nStaff may work remotely up to three days a week.\n\nThe office lends a monitor.", html, StringComparison.Ordinal);
        foreach (var noise in new[] { "pixel-secret-42", "injected-banner", "color: red", "Careers", "Acme intranet", "Copyright" })
        {
            Assert.DoesNotContain(noise, html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_pdf_without_text_is_422_a_corrupt_one_400_and_an_unknown_type_415_each_naming_the_file()
    {
        using var client = factory.CreateAuthenticatedClient(ApiFactory.AcmeUserKey);
        var name = KnowledgeClient.NewName("refused");

        using var scanned = await client.PostFilesAsync(name, ("scan.pdf", "application/pdf", Pdf(null)));
        using var corrupt = await client.PostFilesAsync(name, ("broken.pdf", "application/pdf", Encoding.ASCII.GetBytes("%PDF-1.7\nnot really a pdf")));
        using var image = await client.PostFilesAsync(name, ("chart.png", "image/png", [0x89, 0x50, 0x4E, 0x47]));
        using var untyped = await client.PostFilesAsync(name, ("data.xlsx", "application/octet-stream", [1, 2, 3]));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, scanned.StatusCode);
        Assert.Contains("file 'scan.pdf' is a PDF with no extractable text", (await scanned.ProblemAsync()).Detail, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, corrupt.StatusCode);
        Assert.Equal(("files", true), await PathAndMention(corrupt, "file 'broken.pdf' is not a readable PDF"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, image.StatusCode);
        Assert.Equal(("files", true), await PathAndMention(image, "file 'chart.png' is image/png, which cannot be read"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, untyped.StatusCode);
        Assert.Contains("'*.xlsx'", (await untyped.ProblemAsync()).Detail, StringComparison.Ordinal);

        // Nothing of a refused request was ingested.
        using var search = await client.GetWithTimeoutAsync($"/knowledge/{name}/search?q=pdf");
        Assert.Equal(HttpStatusCode.NotFound, search.StatusCode);
    }

    [Fact]
    public async Task Another_tenant_s_knowledge_base_is_a_404_exactly_like_a_missing_one()
    {
        using var acme = factory.CreateAuthenticatedClient(ApiFactory.AcmeUserKey);
        using var globex = factory.CreateAuthenticatedClient(ApiFactory.GlobexUserKey);
        var name = KnowledgeClient.NewName("private");
        var missing = KnowledgeClient.NewName("private");
        using var created = await acme.PostDocumentsAsync(name, Policies);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        using var theirs = await globex.GetWithTimeoutAsync($"/knowledge/{name}/search?q=leave");
        using var absent = await globex.GetWithTimeoutAsync($"/knowledge/{missing}/search?q=leave");
        using var delete = await globex.DeleteAsync(new Uri($"/knowledge/{name}/documents/leave", UriKind.Relative), TestContext.Current.CancellationToken);
        using var list = await globex.GetWithTimeoutAsync("/knowledge");

        Assert.Equal(HttpStatusCode.NotFound, theirs.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, absent.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, delete.StatusCode);
        var (theirsBody, absentBody) = (await theirs.ReadJsonAsync(), await absent.ReadJsonAsync());
        Assert.Equal(theirsBody.GetProperty("title").GetString(), absentBody.GetProperty("title").GetString());
        Assert.Equal($"no knowledge base '{name}' exists", theirsBody.GetProperty("detail").GetString());
        Assert.DoesNotContain(name, await list.ReadTextAsync(), StringComparison.Ordinal);

        // Globex writing the same name makes a knowledge base of its own: acme's still answers with acme's documents.
        using var own = await globex.PostDocumentsAsync(name, ("menu", "menu.md", "The canteen serves soup on Mondays."));
        Assert.Equal(HttpStatusCode.Created, own.StatusCode);
        var acmeChunks = await acme.SearchAsync(name, "soup canteen", topK: 5, mode: "keyword");
        Assert.All(acmeChunks.EnumerateArray(), c => Assert.NotEqual("menu", c.GetProperty("document_id").GetString()));
        Assert.Equal("menu", (await globex.SearchAsync(name, "soup canteen", topK: 1, mode: "keyword"))[0].GetProperty("document_id").GetString());
    }

    [Fact]
    public async Task A_deleted_document_is_204_then_404_and_no_longer_found()
    {
        using var client = factory.CreateAuthenticatedClient(ApiFactory.AcmeUserKey);
        var name = KnowledgeClient.NewName("delete");
        using var created = await client.PostDocumentsAsync(name, Policies);

        using var deleted = await client.DeleteAsync(new Uri($"/knowledge/{name}/documents/travel", UriKind.Relative), TestContext.Current.CancellationToken);
        using var again = await client.DeleteAsync(new Uri($"/knowledge/{name}/documents/travel", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Equal($"knowledge base '{name}' has no document 'travel'", (await again.ReadJsonAsync()).GetProperty("detail").GetString());
        var chunks = await client.SearchAsync(name, "economy class flights travel agency", topK: 5, mode: "keyword");
        Assert.All(chunks.EnumerateArray(), c => Assert.NotEqual("travel", c.GetProperty("document_id").GetString()));
    }

    [Theory]
    [InlineData("/knowledge/Hand%20Book/search?q=leave", "name")]
    [InlineData("/knowledge/handbook/search", "q")]
    [InlineData("/knowledge/handbook/search?q=%20%20", "q")]
    [InlineData("/knowledge/handbook/search?q=leave&top_k=0", "top_k")]
    [InlineData("/knowledge/handbook/search?q=leave&top_k=51", "top_k")]
    [InlineData("/knowledge/handbook/search?q=leave&top_k=four", "top_k")]
    [InlineData("/knowledge/handbook/search?q=leave&mode=semantic", "mode")]
    public async Task A_bad_search_is_a_400_naming_the_parameter(string path, string field)
    {
        using var client = factory.CreateAuthenticatedClient(ApiFactory.AcmeUserKey);

        using var response = await client.GetWithTimeoutAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(field, (await response.ProblemAsync()).Path);
    }

    [Theory]
    [InlineData("""{"documents": [{"text": "a"}""", "body", "line 1")]
    [InlineData("""{"documents": []}""", "documents", "at least one document")]
    [InlineData("""{"docs": [{"text": "a"}]}""", "docs", "unknown field 'docs'")]
    [InlineData("""{"documents": [{"id": "a"}]}""", "documents[0].text", "'text' is required")]
    [InlineData("""{"documents": [{"text": "a", "metadata": {"team": 7}}]}""", "documents[0].metadata.team", "string value")]
    [InlineData("""{"documents": [{"text": "a", "id": "x"}, {"text": "b", "id": "x"}]}""", "documents[1].id", "sent twice")]
    [InlineData("""{"documents": [{"text": "a", "title": "x"}]}""", "documents[0].title", "unknown field 'title'")]
    public async Task A_bad_json_body_is_a_400_naming_the_field(string body, string field, string words)
    {
        using var client = factory.CreateAuthenticatedClient(ApiFactory.AcmeUserKey);

        using var response = await client.PostWithTimeoutAsync("/knowledge/handbook/documents", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var (path, detail) = await response.ProblemAsync();
        Assert.Equal(field, path);
        Assert.Contains(words, detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invalid_name_and_a_body_of_another_type_are_refused_before_anything_is_read()
    {
        using var client = factory.CreateAuthenticatedClient(ApiFactory.AcmeUserKey);

        using var badName = await client.PostWithTimeoutAsync("/knowledge/Policies!/documents",
            new StringContent("""{"documents": [{"text": "a"}]}""", Encoding.UTF8, "application/json"));
        using var xml = await client.PostWithTimeoutAsync("/knowledge/handbook/documents", new StringContent("<doc/>", Encoding.UTF8, "application/xml"));
        using var untyped = await client.PostWithTimeoutAsync("/knowledge/handbook/documents", new ByteArrayContent("{}"u8.ToArray()));

        Assert.Equal(HttpStatusCode.BadRequest, badName.StatusCode);
        Assert.Equal("name", (await badName.ProblemAsync()).Path);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, xml.StatusCode);
        Assert.Equal("application/problem+json", xml.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, untyped.StatusCode);
    }

    [Fact]
    public async Task Without_a_key_the_knowledge_routes_answer_401()
    {
        using var client = factory.CreateClient();

        using var response = await client.GetWithTimeoutAsync("/knowledge");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private static async Task<(string Path, bool Mentions)> PathAndMention(HttpResponseMessage response, string words)
    {
        var (path, detail) = await response.ProblemAsync();
        return (path, detail.Contains(words, StringComparison.Ordinal));
    }

    // A one-page PDF with this text, or with no text at all (as a scan without a text layer is).
    private static byte[] Pdf(string? text)
    {
        using var builder = new PdfDocumentBuilder();
        var page = builder.AddPage(PageSize.A4);
        if (text is not null)
        {
            var font = builder.AddStandard14Font(Standard14Font.Helvetica);
            page.AddText(text, 11, new PdfPoint(40, 760), font);
        }
        else
        {
            page.DrawRectangle(new PdfPoint(40, 40), 200, 100);
        }

        return builder.Build();
    }
}
