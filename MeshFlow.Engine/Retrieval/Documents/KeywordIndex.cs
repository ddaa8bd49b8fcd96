using Lucene.Net.Analysis;
using Lucene.Net.Analysis.En;
using Lucene.Net.Analysis.Util;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using Lucene.Net.Util;

namespace MeshFlow.Retrieval.Documents;

/// <summary>
/// A BM25 index (Lucene.Net, English stemming and stop words) over one knowledge base's chunks, in memory and
/// read-only once built: a change to the knowledge base builds a new one.
/// </summary>
/// <remarks>
/// Queries are never parsed as Lucene syntax: the query's text goes through the same analyzer as the chunks and each
/// resulting term becomes an optional term clause, so <c>AND (</c>, <c>*</c>, quotes or <c>title:x</c> are words or nothing.
///
/// Not disposable: a replaced index may still be serving a search on another thread, and its directory and reader
/// hold only managed memory, which the collector reclaims once the last search ends.
/// </remarks>
internal sealed class KeywordIndex
{
    private const string KeyField = "key";
    private const string TextField = "text";
    private const string SourceField = "source";
    private const string MetadataFieldPrefix = "m:";
    private static readonly Analyzer Analyzer = new EnglishAnalyzer(LuceneVersion.LUCENE_48, StopWords());

    private readonly DirectoryReader _reader;
    private readonly IndexSearcher _searcher;

    private KeywordIndex(RAMDirectory directory)
    {
        _reader = DirectoryReader.Open(directory);
        _searcher = new IndexSearcher(_reader) { Similarity = new BM25Similarity() };
    }

    /// <summary>Indexes the chunks.</summary>
    public static KeywordIndex Build(IEnumerable<KnowledgeChunk> chunks)
    {
        var directory = new RAMDirectory();
        var config = new IndexWriterConfig(LuceneVersion.LUCENE_48, Analyzer) { Similarity = new BM25Similarity(), OpenMode = OpenMode.CREATE };
        using (var writer = new IndexWriter(directory, config))
        {
            foreach (var chunk in chunks)
            {
                var document = new Document
                {
                    new StringField(KeyField, chunk.Key, Field.Store.YES),
                    new TextField(TextField, chunk.Text, Field.Store.NO),
                };
                if (chunk.Source is { } source)
                {
                    document.Add(new StringField(SourceField, source, Field.Store.NO));
                }

                foreach (var (name, value) in chunk.Metadata ?? EmptyMetadata)
                {
                    document.Add(new StringField(MetadataFieldPrefix + name, value, Field.Store.NO));
                }

                writer.AddDocument(document);
            }

            writer.Commit();
        }

        return new KeywordIndex(directory);
    }

    /// <summary>The best <paramref name="top"/> chunk keys for the query's words, with their BM25 scores, best first.</summary>
    /// <param name="query">Free text.</param>
    /// <param name="filter">Equality on <c>source</c> and metadata keys that every result meets, or null.</param>
    /// <param name="top">How many results at most.</param>
    public IReadOnlyList<(string Key, double Score)> Search(string query, IReadOnlyDictionary<string, string>? filter, int top)
    {
        var terms = Terms(query);
        if (terms.Count == 0 || _reader.NumDocs == 0)
        {
            return [];
        }

        var match = new BooleanQuery();
        foreach (var term in terms)
        {
            match.Add(new TermQuery(new Term(TextField, term)), Occur.SHOULD);
        }

        Filter? only = null;
        if (filter is { Count: > 0 })
        {
            var all = new BooleanQuery();
            foreach (var (name, value) in filter)
            {
                var field = string.Equals(name, KnowledgeFilter.SourceKey, StringComparison.Ordinal) ? SourceField : MetadataFieldPrefix + name;
                all.Add(new TermQuery(new Term(field, value)), Occur.MUST);
            }

            only = new QueryWrapperFilter(all);
        }

        var hits = _searcher.Search(match, only, Math.Min(top, _reader.NumDocs));
        var results = new List<(string, double)>(hits.ScoreDocs.Length);
        foreach (var hit in hits.ScoreDocs)
        {
            results.Add((_searcher.Doc(hit.Doc).Get(KeyField), hit.Score));
        }

        return results;
    }

    private static readonly Dictionary<string, string> EmptyMetadata = [];

    // Lucene's English stop words plus the pronouns, question words and auxiliaries that questions are made of: left
    // in, they match every chunk that happens to contain "how" or "my" and drown the words that carry the question.
    private static CharArraySet StopWords()
    {
        var words = new CharArraySet(LuceneVersion.LUCENE_48, EnglishAnalyzer.DefaultStopSet, ignoreCase: true);
        foreach (var word in (string[])["i", "me", "my", "mine", "we", "us", "our", "you", "your", "he", "him", "his", "she", "her", "its",
            "them", "what", "which", "who", "whom", "whose", "when", "where", "why", "how", "do", "does", "did", "can", "could", "should",
            "would", "may", "might", "must", "shall", "am", "has", "have", "had", "been", "being", "so", "than", "too", "very", "just",
            "any", "some", "there", "here", "from", "about", "get", "got", "anyone", "someone", "something", "i'm", "don't"])
        {
            words.Add(word);
        }

        return words;
    }

    // The analyzed, distinct terms of the query, at most as many as a Lucene boolean query takes.
    private static List<string> Terms(string query)
    {
        var terms = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        using var stream = Analyzer.GetTokenStream(TextField, new StringReader(query));
        var term = stream.AddAttribute<ICharTermAttribute>();
        stream.Reset();
        while (stream.IncrementToken() && terms.Count < BooleanQuery.MaxClauseCount)
        {
            var text = term.ToString();
            if (seen.Add(text))
            {
                terms.Add(text);
            }
        }

        stream.End();
        return terms;
    }
}
