import Protocol

/// `vst-coord status` output: tab-separated tables, for people and for `awk`. One line per
/// job; for a single job with chunk detail, a second table with one line per chunk.
public enum StatusTable {
    public static func render(_ jobs: [JobStatus]) -> String {
        var lines = ["JOB\tSTATE\tFRAMES\tFPS\tETA\tWORKERS\tPRI\tMESSAGE"]
        for job in jobs {
            let eta = job.etaSeconds.map { ProgressReport.clock(.milliseconds(Int64($0 * 1000))) } ?? "-"
            let fps = (job.fps * 10).rounded() / 10
            lines.append("\(job.job)\t\(job.state.rawValue)\t\(job.framesDone)/\(job.framesTotal)\t\(fps)\t\(eta)\t\(job.workersBusy)\t\(job.priority ?? 0)\t\(job.message)")
        }
        if jobs.count == 1, let chunks = jobs[0].chunks {
            lines.append("")
            lines.append("CHUNK\tSTATE\tFRAMES\tWORKER\tFAILURES")
            for chunk in chunks {
                lines.append("\(chunk.chunk)\t\(chunk.state)\t\(chunk.framesDelivered)/\(chunk.framesTotal)\t\(chunk.worker ?? "-")\t\(chunk.failures)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
