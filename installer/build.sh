#!/usr/bin/env bash
# Builds the packages this machine can build into installer/target/ (Linux: .deb, .rpm, portable .tar.gz):
#   parley         the desktop app, with its own trimmed Java runtime (jlink) and only this OS/arch's natives
#   parley-server  parley-server, parley-turn and the parley CLI, a systemd unit, /etc/parley/parley.toml
# Usage: installer/build.sh [--version X.Y.Z] [--only deb|rpm|tar]... [--packages desktop|server]
# (see installer/README.md)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
version=0.1.0
only=()
packages="desktop server"
while [ $# -gt 0 ]; do
  case "$1" in
    --version) version="$2"; shift 2 ;;
    --only) only+=("$2"); shift 2 ;;
    --packages) packages="$2"; shift 2 ;;
    *) echo "installer/build.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
[[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || { echo "installer/build.sh: --version is X.Y.Z, not $version" >&2; exit 2; }
wants() { [ "${#only[@]}" -eq 0 ] || [[ " ${only[*]} " == *" $1 "* ]]; }
package() { [[ " $packages " == *" $1 "* ]]; }

[ "$(uname -s)" = Linux ] || { echo "installer/build.sh builds Linux packages; Windows and macOS packages are built by .github/workflows/installers.yml" >&2; exit 1; }
# Tools: jpackage/jlink/jdeps come with the JDK; dpkg-deb and fakeroot for .deb, rpmbuild (apt: rpm) for .rpm.
need=()
command -v fakeroot >/dev/null || need+=(fakeroot)
command -v rpmbuild >/dev/null || ! wants rpm || need+=(rpm)
command -v xz >/dev/null || need+=(xz-utils)
if [ "${#need[@]}" -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "Installing: ${need[*]}" >&2
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
java_home="$(dirname "$(dirname "$(readlink -f "$(command -v jlink)")")")"

snapshot=0.1.0-SNAPSHOT
jars=(desktop-app/target/desktop-app-$snapshot.jar signaling-server/target/signaling-server-$snapshot.jar
      cli/target/cli-$snapshot.jar stun-turn/target/stun-turn-$snapshot.jar)
for jar in "${jars[@]}"; do
  if [ ! -f "$root/$jar" ]; then
    echo "Building the jars (first use)..." >&2
    (cd "$root" && ./mvnw -q -B -ntp -DskipTests -pl desktop-app,signaling-server,cli,stun-turn -am install) >&2
    break
  fi
done

case "$(uname -m)" in x86_64|amd64) deb_arch=amd64; rpm_arch=x86_64; native=linux-amd64 ;;
  aarch64|arm64) deb_arch=arm64; rpm_arch=aarch64; native=linux-aarch64 ;;
  *) echo "installer/build.sh: no natives for $(uname -m)" >&2; exit 1 ;; esac
out="$root/installer/target"
work="$out/work"
rm -rf "$work"; mkdir -p "$work" "$out"
linux="$root/installer/linux"

# A jar without the native libraries of every OS (libsignal-client carries five, ~370 MB): the package ships this
# OS/arch's library, stripped of debug symbols, on java.library.path.
without_natives() {
  python3 - "$1" "$2" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as src, zipfile.ZipFile(sys.argv[2], "w", zipfile.ZIP_DEFLATED) as dst:
    for item in src.infolist():
        if not item.filename.endswith((".so", ".dylib", ".dll")):
            dst.writestr(item, src.read(item.filename))
PY
}

# The Java modules the jars use (jdeps), plus those only reached through service lookups: elliptic-curve TLS and
# the random generators (RandomGenerator.getDefault()).
modules_for() {
  local main="$1" libs="$2"
  local found
  found="$(jdeps --ignore-missing-deps --multi-release 17 --print-module-deps --class-path "$libs/*" "$main" 2>/dev/null | tail -n 1)"
  echo "$found,jdk.crypto.ec,jdk.random"
}

runtime() {
  local modules="$1" dest="$2"
  jlink --add-modules "$modules" --strip-debug --no-man-pages --no-header-files --compress=2 \
    --generate-cds-archive --output "$dest"
}

# Debian wants ELF files stripped and libraries not executable (lintian errors otherwise); jlink's runtime and
# jpackage's launchers come with symbols.
strip_elf() {
  find "$1" -type f | while read -r f; do
    if [ "$(head -c 4 "$f" | od -An -c | tr -d ' ')" = '177ELF' ]; then
      strip --strip-unneeded "$f"
      case "$f" in *.so|*.so.*) chmod 0644 "$f" ;; esac
    fi
  done
}

# ---------- desktop: app image ----------
d="$work/desktop"
if package desktop; then
mkdir -p "$d/input" "$d/native"
cp "$root/desktop-app/target/desktop-app-$snapshot.jar" "$d/input/"
for jar in "$root"/desktop-app/target/lib/*.jar; do
  case "$(basename "$jar")" in
    libsignal-client-*) without_natives "$jar" "$d/input/$(basename "$jar")" ;;
    *) cp "$jar" "$d/input/" ;;
  esac
done
strip --strip-unneeded -o "$d/native/libsignal_jni.so" "$root/desktop-app/target/native/$native/libsignal_jni.so"
runtime "$(modules_for "$d/input/desktop-app-$snapshot.jar" "$d/input")" "$d/runtime"
desktop_opts=()
while read -r opt; do [ -n "$opt" ] && desktop_opts+=(--java-options "$opt"); done < <(grep -v '^#' "$root/desktop-app/jvm.options")
jpackage --type app-image --name parley-desktop --app-version "$version" --vendor Parley \
  --description "Parley: end-to-end encrypted messages and calls" \
  --input "$d/input" --main-jar "desktop-app-$snapshot.jar" --main-class org.parley.desktop.Launcher \
  --runtime-image "$d/runtime" "${desktop_opts[@]}" \
  --java-options '-Djava.library.path=$APPDIR/native' --java-options '-Xshare:auto' \
  --dest "$d/image"
cp -r "$d/native" "$d/image/parley-desktop/lib/app/native"
desktop_image="$d/image/parley-desktop"
strip_elf "$desktop_image"
fi

# ---------- server: one app image, three launchers ----------
s="$work/server"
if package server; then
mkdir -p "$s/input" "$s/native"
for module in signaling-server cli stun-turn; do
  cp "$root/$module/target/$module-$snapshot.jar" "$s/input/"
  for jar in "$root/$module/target/lib/"*.jar; do
    base="$(basename "$jar")"
    [ -f "$s/input/$base" ] && continue
    case "$base" in
      libsignal-client-*) without_natives "$jar" "$s/input/$base" ;;
      *) cp "$jar" "$s/input/" ;;
    esac
  done
done
strip --strip-unneeded -o "$s/native/libsignal_jni.so" "$root/cli/target/native/$native/libsignal_jni.so"
server_modules="$(modules_for "$s/input/signaling-server-$snapshot.jar" "$s/input"),$(modules_for "$s/input/cli-$snapshot.jar" "$s/input"),$(modules_for "$s/input/stun-turn-$snapshot.jar" "$s/input"),jdk.httpserver"
runtime "$server_modules" "$s/runtime"
printf 'main-jar=cli-%s.jar\nmain-class=org.parley.cli.ParleyCli\njava-options=-Djava.library.path=$APPDIR/native\n' "$snapshot" > "$s/parley.properties"
printf 'main-jar=stun-turn-%s.jar\nmain-class=org.parley.turn.cli.ParleyTurn\n' "$snapshot" > "$s/parley-turn.properties"
jpackage --type app-image --name parley-server --app-version "$version" --vendor Parley \
  --description "Parley server: signaling, STUN/TURN and the parley command line" \
  --input "$s/input" --main-jar "signaling-server-$snapshot.jar" --main-class org.parley.server.ServerMain \
  --runtime-image "$s/runtime" --java-options '-Djava.library.path=$APPDIR/native' \
  --add-launcher parley="$s/parley.properties" --add-launcher parley-turn="$s/parley-turn.properties" \
  --dest "$s/image"
cp -r "$s/native" "$s/image/parley-server/lib/app/native"
server_image="$s/image/parley-server"
strip_elf "$server_image"
fi

# ---------- file trees, shared by .deb and .rpm ----------
doc() { # doc DIR PACKAGE: the copyright file Debian wants, and a changelog
  mkdir -p "$1/usr/share/doc/$2"
  { echo "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/"
    echo "Upstream-Name: Parley"
    echo
    echo "Files: *"
    echo "Copyright: The Parley developers"
    echo "License: AGPL-3.0-or-later"
    echo " On Debian systems the GNU Affero General Public License is not in /usr/share/common-licenses;"
    echo " it is in the Parley source repository (LICENSE) and at https://www.gnu.org/licenses/agpl-3.0.txt"
  } > "$1/usr/share/doc/$2/copyright"
  printf '%s (%s) unstable; urgency=medium\n\n  * Release %s.\n\n -- Parley <parley@example.org>  %s\n' \
    "$2" "$version" "$version" "$(date -R -d @"${SOURCE_DATE_EPOCH:-$(date +%s)}")" | gzip -9n > "$1/usr/share/doc/$2/changelog.gz"
}

dt="$work/tree-desktop"
if package desktop; then
mkdir -p "$dt/usr/lib" "$dt/usr/bin" "$dt/usr/share/applications" "$dt/usr/share/icons/hicolor/scalable/apps" "$dt/usr/share/lintian/overrides"
cp -r "$desktop_image" "$dt/usr/lib/parley"
sed "s/@VERSION@/$version/" "$linux/parley-desktop.sh" > "$dt/usr/bin/parley-desktop"
chmod 0755 "$dt/usr/bin/parley-desktop"
install -m 0644 "$linux/parley.desktop" "$dt/usr/share/applications/parley.desktop"
install -m 0644 "$linux/parley.svg" "$dt/usr/share/icons/hicolor/scalable/apps/parley.svg"
install -m 0644 "$linux/lintian-overrides-parley" "$dt/usr/share/lintian/overrides/parley"
doc "$dt" parley
chmod -R u+rwX,go+rX,go-w "$dt"
fi

st="$work/tree-server"
if package server; then
mkdir -p "$st/usr/lib" "$st/usr/bin" "$st/etc/parley" "$st/lib/systemd/system" "$st/usr/share/lintian/overrides"
cp -r "$server_image" "$st/usr/lib/parley-server"
for launcher in parley-server parley parley-turn; do ln -s "../lib/parley-server/bin/$launcher" "$st/usr/bin/$launcher"; done
# The server's config file: the documented defaults (signaling-server/README.md), data in /var/lib/parley.
{ echo "# Parley server configuration. Every key is here with its default; see /usr/share/doc/parley-server and"
  echo "# 'parley-server check-config --config /etc/parley/parley.toml'. PARLEY_<SECTION>_<KEY> variables override it."
  awk '/^## Configuration/{c=1} c&&/^```toml/{t=1;next} t&&/^```/{exit} t' "$root/signaling-server/README.md" \
    | sed 's|^data-dir = "./data"|data-dir = "/var/lib/parley"|'
} > "$st/etc/parley/parley.toml"
grep -q '^data-dir = "/var/lib/parley"' "$st/etc/parley/parley.toml" || { echo "parley.toml: data-dir not set" >&2; exit 1; }
install -m 0644 "$linux/server/parley-server.service" "$st/lib/systemd/system/parley-server.service"
install -m 0644 "$linux/server/lintian-overrides-parley-server" "$st/usr/share/lintian/overrides/parley-server"
doc "$st" parley-server
install -m 0644 "$root/signaling-server/README.md" "$st/usr/share/doc/parley-server/README.md"
# Everything readable; the config may come to hold secrets (root and the server's group, set by postinst).
chmod -R u+rwX,go+rX,go-w "$st"
chmod 0640 "$st/etc/parley/parley.toml"
fi

# ---------- .deb ----------
deb() { # deb TREE PACKAGE CONTROL-DIR
  local tree="$1" package="$2" control="$3"
  mkdir -p "$tree/DEBIAN"
  local size
  size="$(du -sk --exclude=DEBIAN "$tree" | cut -f1)"
  sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$deb_arch/" -e "s/@SIZE@/$size/" "$control/control" > "$tree/DEBIAN/control"
  for script in preinst postinst prerm postrm conffiles; do
    [ -f "$control/$script" ] && install -m 0755 "$control/$script" "$tree/DEBIAN/$script"
  done
  [ -f "$tree/DEBIAN/conffiles" ] && chmod 0644 "$tree/DEBIAN/conffiles"
  (cd "$tree" && find . -path ./DEBIAN -prune -o -type f -print0 | sort -z | xargs -0 md5sum | sed 's| \./| |') > "$tree/DEBIAN/md5sums"
  chmod 0644 "$tree/DEBIAN/md5sums"
  fakeroot dpkg-deb -Zxz --build "$tree" "$out/${package}_${version}_${deb_arch}.deb" >/dev/null
  rm -rf "$tree/DEBIAN"
}
if wants deb; then
  if package desktop; then deb "$dt" parley "$linux/deb-desktop"; fi
  if package server; then deb "$st" parley-server "$linux/server/deb"; fi
fi

# ---------- .rpm ----------
rpm_build() { # rpm_build TREE SPEC
  local tree="$1" spec="$2" top="$work/rpmbuild"
  mkdir -p "$top"
  rpmbuild -bb --quiet --define "_topdir $top" --define "_rpmdir $out" --define "parley_version $version" \
    --define "parley_tree $tree" --define "_build_name_fmt %%{NAME}-%%{VERSION}-%%{RELEASE}.%%{ARCH}.rpm" \
    --target "$rpm_arch" "$spec" >/dev/null
}
if wants rpm; then
  if package desktop; then rpm_build "$dt" "$linux/parley.spec"; fi
  if package server; then rpm_build "$st" "$linux/server/parley-server.spec"; fi
fi

# ---------- portable app image ----------
if wants tar && package desktop; then
  tar -C "$d/image" -czf "$out/parley-desktop-$version-linux-$deb_arch.tar.gz" parley-desktop
fi
rm -rf "$work"
ls -l "$out" | sed 1d
