# The build options the Android and iOS packaging scripts share (android/build-rust.sh,
# ios/build-xcframework.sh source this file with their arguments):
#   --debug            a debug build instead of [profile.ship] (release code, no debug info)
#   --no-http          for an app that brings its own transport (no reqwest, rustls or TLS inside)
#   --no-image-resize  for an app that scales pictures itself (no JPEG or PNG codecs inside)
# Sets `profile` (ship or debug) and `features` (the cargo arguments choosing mms-ffi's features).
profile=ship
ffi_http=1
ffi_images=1
for arg in "$@"; do
  case "$arg" in
    --debug) profile=debug ;;
    --no-http) ffi_http=0 ;;
    --no-image-resize) ffi_images=0 ;;
    *) echo "unknown option $arg" >&2; exit 2 ;;
  esac
done
ffi_wanted=()
if [ "$ffi_http" = 1 ]; then ffi_wanted+=(http); fi
if [ "$ffi_images" = 1 ]; then ffi_wanted+=(image-resize); fi
features=(--no-default-features)
if [ "${#ffi_wanted[@]}" -gt 0 ]; then
  features+=(--features "$(IFS=,; echo "${ffi_wanted[*]}")")
fi
