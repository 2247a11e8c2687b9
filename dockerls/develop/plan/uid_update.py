"""``updateRemoteUserUID`` (default true): on a Linux host, the remote user's UID and GID in the
container become the host user's, so that the files both write in the bind-mounted workspace
belong to the same user.  As the Dev Containers CLI, this is a small image built on the
container's image that rewrites the user's entries in ``/etc/passwd`` and ``/etc/group`` and hands
its home folder over; it is skipped when the remote user is root or a bare UID.

When the host user is root (UID 0) the CLI still builds the image, whose script then finds UID 0
taken by root and changes nothing; dockerls skips the build outright, to the same effect.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass


@dataclass(slots=True)
class UidUpdate:
    uid: int  # the host user's
    gid: int
    remote_user: str | None  # None: the image's user, known once the image is there


def plan_uid_update(setting, remote_user: str | None, host_ids: tuple[int, int] | None,
                    platform: str) -> UidUpdate | None:
    """Whether the remote user's UID/GID are to be updated (None: not)."""
    if setting is False or platform != "linux" or host_ids is None:
        return None
    uid, gid = host_ids
    if uid == 0:
        return None  # root on the host: UID 0 is root's in the container too (the CLI's script skips it)
    user = (remote_user or "").split(":", 1)[0] or None
    if user is not None and (user == "root" or user.isdigit()):
        return None
    return UidUpdate(uid, gid, user)


def uid_tag(container_name: str) -> str:
    """The updated image's tag: the container's name and ``-uid``."""
    return f"{container_name}-uid:latest"


def user_to_update(update: UidUpdate, image_user: str | None) -> str | None:
    """The user whose UID changes, once the image's user is known (None: root or a bare UID)."""
    user = update.remote_user or (image_user or "root").split(":", 1)[0]
    return None if user == "root" or user.isdigit() else user


# The script that updates the user (arguments: user, new UID, new GID).  Plain POSIX sh and the
# shell's own string operations, so that it runs on images without sed or awk; only `chown` is needed.
UPDATE_SCRIPT = r"""
user=$1 new_uid=$2 new_gid=$3
old_uid= old_gid= home= uid_owner= gid_owner=
while IFS=: read -r name _ uid gid _ dir _; do
  if [ "$name" = "$user" ]; then old_uid=$uid old_gid=$gid home=$dir
  elif [ "$uid" = "$new_uid" ]; then uid_owner=$name; fi
done < /etc/passwd
while IFS=: read -r name _ gid _; do
  if [ "$gid" = "$new_gid" ]; then gid_owner=$name; fi
done < /etc/group
if [ -z "$old_uid" ]; then
  echo "dockerls: $user is not in /etc/passwd: its UID is left as it is"; exit 0
fi
if [ "$old_uid:$old_gid" = "$new_uid:$new_gid" ]; then
  echo "dockerls: $user has UID:GID $new_uid:$new_gid already"; exit 0
fi
if [ "$old_uid" != "$new_uid" ] && [ -n "$uid_owner" ]; then
  echo "dockerls: UID $new_uid belongs to $uid_owner: $user keeps $old_uid"; exit 0
fi
if [ "$old_gid" != "$new_gid" ] && [ -n "$gid_owner" ]; then
  echo "dockerls: GID $new_gid belongs to the group $gid_owner: $user keeps GID $old_gid"; new_gid=$old_gid
fi
echo "dockerls: $user's UID:GID $old_uid:$old_gid -> $new_uid:$new_gid"
while IFS= read -r line || [ -n "$line" ]; do
  case $line in "$user":*:*:*:*)  # name:password:UID:GID:the rest
    rest=${line#*:} password=${rest%%:*} rest=${rest#*:} rest=${rest#*:} rest=${rest#*:}
    line="$user:$password:$new_uid:$new_gid:$rest";;
  esac
  printf '%s\n' "$line"
done < /etc/passwd > /etc/passwd.dockerls
if [ "$old_gid" != "$new_gid" ]; then
  while IFS= read -r line || [ -n "$line" ]; do
    case $line in *:*:*:*)  # name:password:GID:members
      name=${line%%:*} rest=${line#*:}
      password=${rest%%:*} rest=${rest#*:} gid=${rest%%:*}
      if [ "$gid" = "$old_gid" ]; then line="$name:$password:$new_gid:${rest#*:}"; fi;;
    esac
    printf '%s\n' "$line"
  done < /etc/group > /etc/group.dockerls
  cat /etc/group.dockerls > /etc/group && rm -f /etc/group.dockerls
fi
cat /etc/passwd.dockerls > /etc/passwd && rm -f /etc/passwd.dockerls
if [ -n "$home" ] && [ "$home" != / ] && [ -d "$home" ]; then chown -R "$new_uid:$new_gid" "$home"; fi
"""


SCRIPT_NAME = "update-uid.sh"  # beside the Dockerfile in the build context


def uid_dockerfile(base: str, user: str, update: UidUpdate, image_user: str | None) -> str:
    """The Dockerfile of the updated image: the script (:data:`SCRIPT_NAME` in the context) as
    root, then the image's user back."""
    script = f"/tmp/dockerls-{SCRIPT_NAME}"
    run = f"sh {script} {shlex.quote(user)} {update.uid} {update.gid} && rm -f {script}"
    return f"FROM {base}\nUSER root\nCOPY {SCRIPT_NAME} {script}\nRUN {run}\nUSER {image_user or 'root'}\n"
