;;; dockerls.el --- The dockerls language server with Eglot  -*- lexical-binding: t; -*-

;; Version: 0.1.0
;; Package-Requires: ((emacs "27.1") (eglot "1.9"))
;; Keywords: languages, tools, docker
;; SPDX-License-Identifier: MIT

;;; Commentary:

;; Dockerfile, Compose and devcontainer.json diagnostics, fixes, formatting, hover and completion
;; from the dockerls language server (`dockerls serve', stdio), through Eglot.
;;
;;   (require 'dockerls)
;;   (dockerls-setup)          ; eglot-ensure in Dockerfile and compose buffers
;;
;; Buffers: `dockerfile-mode' and `dockerfile-ts-mode' (the server sees languageId "dockerfile"),
;; and `dockerls-compose-mode' (languageId "dockercompose"), a mode derived from `yaml-mode'
;; (or from `prog-mode' without it) that this file sets for docker-compose*.yml and
;; compose*.yaml.  Dockerfiles and compose files get one server each per project: Eglot 1.9 gives
;; a server one languageId.
;;
;; Settings: `dockerls-settings' (sent as initializationOptions), or per project the
;; `:dockerls' section of `eglot-workspace-configuration' in .dir-locals.el, e.g.
;;   ((nil . ((eglot-workspace-configuration . (:dockerls (:ignore ["DL3008"]))))))
;;
;; Commands: `dockerls-develop', `dockerls-build', `dockerls-rebuild', `dockerls-down',
;; `dockerls-logs' (workspace/executeCommand, without blocking Emacs).  The server's work-done
;; progress shows in the echo area (Eglot 1.9 has no progress support of its own; a newer Eglot
;; shows it in the mode line itself).

;;; Code:

(require 'cl-lib)
(require 'subr-x)
(require 'eglot)
(require 'jsonrpc)
(require 'project)
(require 'yaml-mode nil t)

(defgroup dockerls nil
  "The dockerls language server."
  :group 'tools
  :prefix "dockerls-")

(defcustom dockerls-server-command '("dockerls" "serve")
  "The command that starts the dockerls language server on stdio.
When the project has .venv/bin/dockerls and this is the default,
that one is used."
  :type '(repeat string))

(defcustom dockerls-settings nil
  "The `dockerls' settings section, a plist sent as initializationOptions, e.g.
\(:ignore [\"DL3008\"] :severity (:DL3007 \"error\") :features (:formatting t)).
The `:dockerls' section of `eglot-workspace-configuration' wins over it."
  :type 'plist)

(defcustom dockerls-compose-file-regexp
  "\\(?:\\`\\|/\\)\\(?:docker-\\)?compose[^/]*\\.ya?ml\\'"
  "File names that open in `dockerls-compose-mode'."
  :type 'regexp)

;;;; Compose buffers

(defalias 'dockerls--compose-parent-mode (if (fboundp 'yaml-mode) 'yaml-mode 'prog-mode))

;;;###autoload
(define-derived-mode dockerls-compose-mode dockerls--compose-parent-mode "Compose"
  "Mode for Compose files, managed by dockerls.
A `yaml-mode' when yaml-mode is installed."
  (setq-local comment-start "# "))

;;;###autoload
(add-to-list 'auto-mode-alist (cons dockerls-compose-file-regexp 'dockerls-compose-mode))

;;;; The server

(defclass dockerls-eglot-server (eglot-lsp-server) ()
  :documentation "The dockerls language server.")

(defun dockerls--project-root ()
  "The current project's root, else `default-directory'."
  (let ((project (project-current)))
    (expand-file-name (if project (project-root project) default-directory))))

(defun dockerls--command (&optional _interactive)
  "The server command (with the Eglot class) for the current project.
The project's .venv/bin/dockerls when there is one and
`dockerls-server-command' is the default."
  (let ((venv (expand-file-name ".venv/bin/dockerls" (dockerls--project-root))))
    (cons 'dockerls-eglot-server
          (if (and (equal dockerls-server-command
                          (eval (car (get 'dockerls-server-command 'standard-value))))
                   (file-executable-p venv))
              (list venv "serve")
            dockerls-server-command))))

;;;###autoload
(defun dockerls-register ()
  "Add the dockerls entries to `eglot-server-programs'."
  (add-to-list 'eglot-server-programs
               '(((dockerls-compose-mode :language-id "dockercompose")
                  (docker-compose-mode :language-id "dockercompose"))
                 . dockerls--command))
  (add-to-list 'eglot-server-programs
               '(((dockerfile-mode :language-id "dockerfile")
                  (dockerfile-ts-mode :language-id "dockerfile"))
                 . dockerls--command)))

;;;###autoload
(defun dockerls-setup ()
  "Register dockerls with Eglot and start it in Dockerfile and compose buffers."
  (dockerls-register)
  (dolist (hook '(dockerfile-mode-hook dockerfile-ts-mode-hook dockerls-compose-mode-hook
                                       docker-compose-mode-hook))
    (add-hook hook #'eglot-ensure)))

(cl-defmethod eglot-initialization-options ((_server dockerls-eglot-server))
  "The settings, for the first lint (before the server asks for them)."
  (if dockerls-settings (list :dockerls dockerls-settings) eglot--{}))

(cl-defmethod eglot-client-capabilities ((_server dockerls-eglot-server))
  "Eglot's capabilities, with work-done progress."
  (let* ((caps (copy-sequence (cl-call-next-method)))
         (window (copy-sequence (plist-get caps :window))))
    (plist-put caps :window (plist-put window :workDoneProgress t))))

;;;; Work-done progress

(defvar dockerls--progress (make-hash-table :test #'equal)
  "Progress token -> (TITLE . REPORTER).")

(defvar dockerls-last-progress nil
  "The last progress line shown.")

(defun dockerls--native-progress-p ()
  "Whether this Eglot shows $/progress itself."
  (boundp 'eglot-report-progress))

(cl-defmethod eglot-handle-request
  ((_server dockerls-eglot-server) (_method (eql window/workDoneProgress/create)) &key _token)
  "Accept the server's progress tokens."
  nil)

(cl-defmethod eglot-handle-notification
  ((_server dockerls-eglot-server) (_method (eql $/progress)) &key token value)
  "Show the server's work-done progress in the echo area."
  (if (dockerls--native-progress-p)
      (cl-call-next-method)
    (let* ((kind (plist-get value :kind))
           (entry (gethash token dockerls--progress))
           (title (or (plist-get value :title) (car entry) ""))
           (message (plist-get value :message))
           (percentage (plist-get value :percentage))
           (line (concat "dockerls"
                         (unless (string-empty-p title) (concat ": " title))
                         (cond ((equal kind "end") (concat ": " (or message "done")))
                               (message (concat ": " message)))
                         (and percentage (not (equal kind "end")) (format " (%d%%)" percentage)))))
      (setq dockerls-last-progress line)
      (cond ((equal kind "begin")
             (puthash token (cons title nil) dockerls--progress))
            ((equal kind "end")
             (remhash token dockerls--progress)))
      (let ((message-log-max (and (member kind '("begin" "end")) message-log-max)))
        (message "%s" line)))))

;;;; Develop-in-container commands

(defun dockerls--server ()
  "The dockerls server of the current buffer, or of its project."
  (or (let ((server (eglot-current-server)))
        (and (cl-typep server 'dockerls-eglot-server) server))
      (let ((project (project-current)))
        (cl-find-if (lambda (s) (cl-typep s 'dockerls-eglot-server))
                    (and project (gethash project eglot--servers-by-project))))
      (user-error "No dockerls server here: open a Dockerfile or compose file of the project")))

(defun dockerls-execute (command)
  "Send COMMAND (a string, e.g. \"dockerls.develop\") to the server for this project."
  (let* ((server (dockerls--server))
         (root (expand-file-name (project-root (eglot--project server)))))
    (message "dockerls: %s..." command)
    (jsonrpc-async-request
     server :workspace/executeCommand
     `(:command ,command :arguments ,(vector (funcall (if (fboundp 'eglot-path-to-uri) 'eglot-path-to-uri
                                                         'eglot--path-to-uri)
                                                       root)))
     :success-fn (lambda (result)
                   (message "dockerls: %s: %s" command
                            (if (stringp result) result "done")))
     :error-fn (lambda (error)
                 (message "dockerls: %s failed: %s" command (plist-get error :message)))
     :timeout-fn #'ignore
     :timeout 86400)))

(defmacro dockerls--define-command (name command doc)
  `(defun ,name ()
     ,doc
     (interactive)
     (dockerls-execute ,command)))

(dockerls--define-command dockerls-develop "dockerls.develop" "Develop in the project's dev container.")
(dockerls--define-command dockerls-build "dockerls.build" "Build the project's dev container.")
(dockerls--define-command dockerls-rebuild "dockerls.rebuild" "Rebuild the project's dev container without cache.")
(dockerls--define-command dockerls-down "dockerls.down" "Stop and remove the project's dev container.")
(dockerls--define-command dockerls-logs "dockerls.logs" "Show the project's dev container's logs.")

(provide 'dockerls)
;;; dockerls.el ends here
