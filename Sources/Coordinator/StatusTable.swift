import Protocol

/// `vst-coord status` output: tab-separated tables, for people and for `awk`. One line per
/// job; then, for a single job with chunk detail, one line per chunk, or, for several jobs,
/// one line per busy worker (the chunks being rendered).
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
        } else {
            let busy = jobs.flatMap { job in (job.chunks ?? []).compactMap { chunk in chunk.worker.map { ($0, job.job, chunk) } } }
            if !busy.isEmpty {
                lines.append("")
                lines.append("WORKER\tJOB\tCHUNK\tFRAMES")
                for (worker, job, chunk) in busy.sorted(by: { $0.0 < $1.0 }) {
                    lines.append("\(worker)\t\(job)\t\(chunk.chunk)\t\(chunk.framesDelivered)/\(chunk.framesTotal)")
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
