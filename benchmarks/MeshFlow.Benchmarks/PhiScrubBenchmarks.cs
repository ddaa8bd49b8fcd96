using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using MeshFlow.Privacy;

namespace MeshFlow.Benchmarks;

/// <summary>
/// Scrubbing one clinical note of about 100 tokens (about 500 characters): one that holds seven identifiers (a name,
/// two dates, an MRN, a relative's name, a phone number, a URL), and one that holds none but the lab values, dosages,
/// codes and version numbers a note is full of.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(PercentileConfig))]
public class PhiScrubBenchmarks
{
    private const string WithIdentifiers =
        "Pt Maria Garcia (DOB 03/14/1962, MRN 00451234) seen 2024-01-05 for HTN follow-up. BP 142/88, HR 76, SpO2 97% "
        + "on RA. Lisinopril 20 mg daily, metformin 500 mg BID. Labs: WBC 7.2, Hgb 13.5 g/dL, Cr 1.1, K 4.3, A1c 7.4%. "
        + "Assessment: hypertension (I10), type 2 diabetes (E11.9), stable. Plan: continue meds, recheck A1c in 3 months. "
        + "Diet and exercise counseling given, 15 min. Wife Ellen at bedside; call (617) 555-0142 with concerns. "
        + "Portal: https://portal.example.org/p/48812.";

    private const string WithoutIdentifiers =
        "Pt seen in clinic for HTN follow-up after the 2.0.1 charting update. BP 142/88, HR 76, SpO2 97% on RA at 10:30. "
        + "Lisinopril 20 mg daily, metformin 500 mg BID, take 1/2 tablet if dizzy. Labs: WBC 7.2, Hgb 13.5 g/dL, Cr 1.1, "
        + "K 4.3, A1c 7.4%. Assessment: hypertension (I10), type 2 diabetes (E11.9), stable. Plan: continue meds, recheck "
        + "A1c in 3 months. Diet and exercise counseling given, 15 min. Patient Instructions reviewed; order 48213377 "
        + "placed; MRN pending; pain 3/10.";

    [Benchmark]
    public string NoteWithIdentifiers() => PhiScrubber.Scrub(WithIdentifiers);

    [Benchmark]
    public string NoteWithoutIdentifiers() => PhiScrubber.Scrub(WithoutIdentifiers);

    private sealed class PercentileConfig : ManualConfig
    {
        public PercentileConfig() => AddColumn(StatisticColumn.Median, StatisticColumn.P95);
    }
}
