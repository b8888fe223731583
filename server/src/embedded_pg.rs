//! The embedded default: with no `DATABASE_URL`, the server runs a private PostgreSQL cluster
//! from the installed server binaries under `<data_dir>/pg`, on a free loopback port with a
//! generated password, and stops it on exit if it started it. PostgreSQL refuses to run as
//! root, so a root process runs the cluster as the `postgres` system user.

use anyhow::{bail, Context};
use std::path::{Path, PathBuf};
use tokio::process::Command;

/// The database the control plane lives in.
const DATABASE: &str = "crysknife";
/// The cluster's superuser.
const SUPERUSER: &str = "crysknife";

/// A running private cluster.
pub struct EmbeddedPostgres {
    bin: PathBuf,
    data: PathBuf,
    run_as: Option<&'static str>,
    port: u16,
    password: String,
    started_here: bool,
}

impl EmbeddedPostgres {
    /// Initialises the cluster when missing, starts it unless it already runs, and makes sure
    /// the `crysknife` database exists.
    pub async fn start(data_dir: &Path) -> anyhow::Result<Self> {
        let bin = find_bin_dir()?;
        std::fs::create_dir_all(data_dir).with_context(|| format!("creating {}", data_dir.display()))?;
        let root = std::fs::canonicalize(data_dir)?;
        let home = root.join("pg");
        let data = home.join("data");
        std::fs::create_dir_all(&home)?;
        // SAFETY: geteuid has no preconditions and cannot fail.
        let run_as = (unsafe { libc::geteuid() } == 0).then_some("postgres");
        let password = load_or_create_password(&root.join("pg-password"))?;
        if let Some(user) = run_as {
            chown_tree(&home, user).await?;
            ensure_reachable(&home, user).await?;
        }
        let mut pg = Self { bin, data, run_as, port: 0, password, started_here: false };
        if !pg.data.join("PG_VERSION").exists() {
            pg.initdb(&home).await?;
        }
        match running_port(&pg.data) {
            Some(port) => pg.port = port,
            None => {
                pg.port = remembered_or_free_port(&home.join("port"))?;
                pg.pg_ctl_start(&home.join("server.log")).await?;
                pg.started_here = true;
            }
        }
        pg.ensure_database().await?;
        tracing::info!(port = pg.port, data = %pg.data.display(), "embedded PostgreSQL ready");
        Ok(pg)
    }

    /// The connection URL of the control-plane database (it holds the password: never log it).
    pub fn url(&self) -> String {
        self.url_for(DATABASE)
    }

    fn url_for(&self, db: &str) -> String {
        format!("postgres://{SUPERUSER}:{}@127.0.0.1:{}/{db}", self.password, self.port)
    }

    /// Stops the cluster if this process started it.
    pub async fn stop(&self) {
        if !self.started_here {
            return;
        }
        let data = self.data.display().to_string();
        match self.command("pg_ctl", &["stop", "-D", &data, "-m", "fast", "-w"]).output().await {
            Ok(out) if out.status.success() => tracing::info!("embedded PostgreSQL stopped"),
            Ok(out) => tracing::warn!(stderr = %String::from_utf8_lossy(&out.stderr), "pg_ctl stop failed"),
            Err(e) => tracing::warn!(error = %e, "pg_ctl stop could not run"),
        }
    }

    fn command(&self, tool: &str, args: &[&str]) -> Command {
        let exe = self.bin.join(tool);
        match self.run_as {
            Some(user) => {
                let mut c = Command::new("runuser");
                c.args(["-u", user, "--"]).arg(exe).args(args);
                c
            }
            None => {
                let mut c = Command::new(exe);
                c.args(args);
                c
            }
        }
    }

    async fn initdb(&self, home: &Path) -> anyhow::Result<()> {
        let pwfile = home.join("initdb-password");
        std::fs::write(&pwfile, &self.password)?;
        if let Some(user) = self.run_as {
            chown_tree(&pwfile, user).await?;
        }
        let data = self.data.display().to_string();
        let pw = format!("--pwfile={}", pwfile.display());
        let out = self
            .command("initdb", &["-D", &data, "-U", SUPERUSER, &pw, "--auth=scram-sha-256", "-E", "UTF8", "--locale=C"])
            .output()
            .await
            .context("running initdb")?;
        let _ = std::fs::remove_file(&pwfile);
        if !out.status.success() {
            bail!("initdb failed: {}", String::from_utf8_lossy(&out.stderr));
        }
        Ok(())
    }

    async fn pg_ctl_start(&self, log: &Path) -> anyhow::Result<()> {
        let data = self.data.display().to_string();
        let log = log.display().to_string();
        let opts = format!("-p {} -c listen_addresses=127.0.0.1 -c unix_socket_directories=''", self.port);
        let out = self
            .command("pg_ctl", &["start", "-D", &data, "-l", &log, "-w", "-t", "60", "-o", &opts])
            .output()
            .await
            .context("running pg_ctl start")?;
        if !out.status.success() {
            let tail = std::fs::read_to_string(&log).unwrap_or_default();
            let tail: Vec<&str> = tail.lines().rev().take(10).collect();
            bail!("pg_ctl start failed: {}\n{}", String::from_utf8_lossy(&out.stderr), tail.join("\n"));
        }
        Ok(())
    }

    async fn ensure_database(&self) -> anyhow::Result<()> {
        use sqlx::Connection;
        let mut conn = sqlx::PgConnection::connect(&self.url_for("postgres")).await?;
        let exists: bool =
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)").bind(DATABASE).fetch_one(&mut conn).await?;
        if !exists {
            // The name is a constant of ours, never user text.
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {DATABASE}"))).execute(&mut conn).await?;
        }
        conn.close().await?;
        Ok(())
    }
}

/// The newest installed server binaries: Debian's `/usr/lib/postgresql/<major>/bin`, else
/// whatever `pg_ctl` on PATH belongs to.
fn find_bin_dir() -> anyhow::Result<PathBuf> {
    let mut majors: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| Some((e.file_name().to_str()?.parse().ok()?, e.path().join("bin"))))
        .filter(|(_, bin): &(u32, PathBuf)| bin.join("pg_ctl").exists() && bin.join("initdb").exists())
        .collect();
    majors.sort();
    if let Some((_, bin)) = majors.pop() {
        return Ok(bin);
    }
    std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .find(|dir| dir.join("pg_ctl").exists() && dir.join("initdb").exists())
        .and_then(|dir| std::fs::canonicalize(dir.join("pg_ctl")).ok()?.parent().map(Path::to_path_buf))
        .context(
            "PostgreSQL server binaries (initdb, pg_ctl) were not found: run ./scripts/setup, \
             which installs them, or set DATABASE_URL",
        )
}

/// The port of a cluster already running from `data`, read from its `postmaster.pid`.
fn running_port(data: &Path) -> Option<u16> {
    let pidfile = std::fs::read_to_string(data.join("postmaster.pid")).ok()?;
    let mut lines = pidfile.lines();
    let pid: i32 = lines.next()?.trim().parse().ok()?;
    let port = lines.nth(2)?.trim().parse().ok()?;
    // SAFETY: signal 0 only checks that the process exists.
    (unsafe { libc::kill(pid, 0) } == 0).then_some(port)
}

/// The port the cluster used last time if it is still free (so URLs handed out before a
/// restart stay valid), else a new free one, remembered for next time.
fn remembered_or_free_port(file: &Path) -> anyhow::Result<u16> {
    let remembered = std::fs::read_to_string(file).ok().and_then(|p| p.trim().parse::<u16>().ok());
    if let Some(port) = remembered.filter(|p| std::net::TcpListener::bind(("127.0.0.1", *p)).is_ok()) {
        return Ok(port);
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    std::fs::write(file, port.to_string())?;
    Ok(port)
}

fn load_or_create_password(path: &Path) -> anyhow::Result<String> {
    if let Ok(pw) = std::fs::read_to_string(path) {
        return Ok(pw.trim().to_owned());
    }
    let mut bytes = [0u8; 24];
    std::io::Read::read_exact(&mut std::fs::File::open("/dev/urandom")?, &mut bytes)?;
    let pw = hex::encode(bytes);
    std::fs::write(path, &pw)?;
    std::fs::set_permissions(path, std::os::unix::fs::PermissionsExt::from_mode(0o600))?;
    Ok(pw)
}

async fn chown_tree(path: &Path, user: &str) -> anyhow::Result<()> {
    let out = Command::new("chown").arg("-R").arg(format!("{user}:")).arg(path).output().await?;
    if !out.status.success() {
        bail!(
            "cannot hand {} to the `{user}` user (PostgreSQL does not run as root): {}",
            path.display(),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(())
}

/// As root the cluster runs as `user`, who must be able to enter every folder on the way to
/// the data folder (root's home usually refuses): say so plainly instead of a failed initdb.
async fn ensure_reachable(home: &Path, user: &str) -> anyhow::Result<()> {
    let status = Command::new("runuser").args(["-u", user, "--", "test", "-w"]).arg(home).status().await.context("running runuser")?;
    if !status.success() {
        bail!(
            "the embedded PostgreSQL runs as the {user} user, who cannot write {}: set CRYSKNIFE_DATA_DIR to a folder that user can reach (for example under /var/lib or /tmp)",
            home.display()
        );
    }
    Ok(())
}
