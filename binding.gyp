# torch-node for node-gyp (driven by prebuildify and by `npm install` when no prebuilt binary fits).
# Same sources (scripts/sources.js), same libtorch (scripts/find-libtorch.js) and same flags as
# CMakeLists.txt (cmake-js, the development build), and the same torch.distributed backends (both
# take them from scripts/find-libtorch.js); no precompiled header here, so it is slower.
{
  'variables': {
    'tn_cuda%': '<!(node scripts/find-libtorch.js --field cuda)',
    'tn_libdir%': '<!(node scripts/find-libtorch.js --field libdir)',
  },
  'targets': [
    {
      'target_name': 'torch_node',
      'sources': ['<!@(node scripts/sources.js)'],
      'include_dirs': [
        '<!(node -p "require(\'node-addon-api\').include_dir")',
        'native',
        '<!@(node scripts/find-libtorch.js --field include)',
        '<!@(node scripts/find-libtorch.js --field cuda_include)',
        '<!@(node scripts/find-libtorch.js --field gloo_include)',
      ],
      'defines': [
        'NAPI_EXPERIMENTAL',
        'NAPI_VERSION=2147483647',
        'NAPI_CPP_EXCEPTIONS',
        'NODE_ADDON_API_DISABLE_DEPRECATED',
        '_GLIBCXX_USE_CXX11_ABI=<!(node scripts/find-libtorch.js --field cxx11_abi)',
        # torch.distributed's backends (USE_DISTRIBUTED, USE_C10D_GLOO/NCCL or TN_NO_GLOO), decided
        # with the gloo headers and library below by scripts/find-libtorch.js for CMakeLists.txt too
        '<!@(node scripts/find-libtorch.js --field c10d_defines)',
      ],
      'cflags_cc!': ['-fno-exceptions', '-fno-rtti', '-std=gnu++17', '-std=gnu++20'],
      'cflags_cc': ['-std=c++<!(node scripts/find-libtorch.js --field cxx_std)', '-fexceptions', '-frtti', '-fvisibility=hidden', '-Wno-deprecated-declarations', '-Wno-unused-parameter', '-Wno-maybe-uninitialized'],
      'ldflags': [
        '-L<(tn_libdir)',
        # RUNPATH (not RPATH), so that LD_LIBRARY_PATH can point at another libtorch
        '-Wl,-rpath,<(tn_libdir)',
        '-Wl,--enable-new-dtags',
        '-Wl,--no-as-needed',
      ],
      'libraries': ['-ltorch', '-ltorch_cpu', '-lc10', '<!@(node scripts/find-libtorch.js --field gloo_libs)'],
      'conditions': [
        ['tn_cuda=="true"', {
          'defines': ['TN_WITH_CUDA'],
          'libraries': ['-ltorch_cuda', '-lc10_cuda'],
        }],
      ],
    },
    {
      # What the binary was built against (libtorch version, CUDA, C++ ABI, Node ABI), read by the
      # loader before it loads the binary: build/Release/torch_node.json.
      'target_name': 'torch_node_build_info',
      'type': 'none',
      'dependencies': ['torch_node'],
      'actions': [{
        'action_name': 'build_info',
        'inputs': ['<(PRODUCT_DIR)/torch_node.node'],
        'outputs': ['<(PRODUCT_DIR)/torch_node.json'],
        'action': ['node', 'scripts/find-libtorch.js', '--build-info', '<(PRODUCT_DIR)/torch_node.json'],
      }],
    },
  ],
}
